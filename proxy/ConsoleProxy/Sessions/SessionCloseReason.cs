using System.Net.WebSockets;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Why a session ended, as the WebSocket close code and text the browser sees. Codes 4001-4005
/// are the architecture page's contract; a user reading noVNC's "disconnected" message (or an
/// operator reading the audit line) learns the cause instead of a bare 1006.
/// </summary>
public readonly record struct SessionCloseReason(WebSocketCloseStatus Status, string Description)
{
    public int Code => (int)Status;

    public static SessionCloseReason ConsoleClosed { get; } = new(WebSocketCloseStatus.NormalClosure, "console closed");

    public static SessionCloseReason ClientClosed { get; } = new(WebSocketCloseStatus.NormalClosure, "client closed");

    public static SessionCloseReason Draining { get; } = new(WebSocketCloseStatus.EndpointUnavailable, "proxy shutting down");

    public static SessionCloseReason Revoked { get; } = new((WebSocketCloseStatus)4001, "token revoked");

    public static SessionCloseReason Expired { get; } = new((WebSocketCloseStatus)4002, "token expired");

    public static SessionCloseReason Idle { get; } = new((WebSocketCloseStatus)4003, "idle timeout");

    public static SessionCloseReason MaxDuration { get; } = new((WebSocketCloseStatus)4004, "maximum session duration reached");

    /// <summary>
    /// The connection to the client broke, so no close frame can be sent: 1006 is what the client
    /// side reports then, and only ever appears in our logs, never on the wire.
    /// </summary>
    public static SessionCloseReason ClientLost { get; } = new((WebSocketCloseStatus)1006, "client connection lost");

    public static SessionCloseReason TargetUnreachable(string why) => new((WebSocketCloseStatus)4005, Truncate($"target unreachable: {why}"));

    /// <summary>The close frame's reason is limited to 123 UTF-8 bytes; longer texts would fail the close itself.</summary>
    private static string Truncate(string text)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) <= 123)
        {
            return text;
        }

        var cut = text.Length;
        while (System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, cut)) > 120)
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "...");
    }
}
