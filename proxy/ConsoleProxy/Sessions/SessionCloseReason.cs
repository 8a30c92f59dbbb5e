using System.Net.WebSockets;
using ConsoleProxy.Metrics;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Why a session ended, as the WebSocket close code and text the browser sees. Codes 4001-4005
/// are the architecture page's contract; a user reading noVNC's "disconnected" message (or an
/// operator reading the audit line) learns the cause instead of a bare 1006.
/// </summary>
public readonly record struct SessionCloseReason(WebSocketCloseStatus Status, string Description, SessionOutcome Outcome)
{
    public int Code => (int)Status;

    public static SessionCloseReason ConsoleClosed { get; } = new(WebSocketCloseStatus.NormalClosure, "console closed", SessionOutcome.Normal);

    public static SessionCloseReason ClientClosed { get; } = new(WebSocketCloseStatus.NormalClosure, "client closed", SessionOutcome.Normal);

    public static SessionCloseReason Draining { get; } = new(WebSocketCloseStatus.EndpointUnavailable, "proxy shutting down", SessionOutcome.Drain);

    public static SessionCloseReason Revoked { get; } = new((WebSocketCloseStatus)4001, "token revoked", SessionOutcome.Revoked);

    public static SessionCloseReason Expired { get; } = new((WebSocketCloseStatus)4002, "token expired", SessionOutcome.Expired);

    public static SessionCloseReason Idle { get; } = new((WebSocketCloseStatus)4003, "idle timeout", SessionOutcome.Idle);

    public static SessionCloseReason MaxDuration { get; } = new((WebSocketCloseStatus)4004, "maximum session duration reached", SessionOutcome.MaxDuration);

    /// <summary>
    /// A newer session on the same token or console took this one's place (--on-session-limit takeover): the
    /// text names the policy, so the person whose console closed learns why and whom to ask.
    /// </summary>
    public static SessionCloseReason TakenOver(string limit) => new((WebSocketCloseStatus)4006, Truncate($"taken over by a newer session ({limit}, on-session-limit takeover)"), SessionOutcome.TakenOver);

    /// <summary>
    /// The connection to the client broke, so no close frame can be sent: 1006 is what the client
    /// side reports then, and only ever appears in our logs, never on the wire.
    /// </summary>
    public static SessionCloseReason ClientLost { get; } = new((WebSocketCloseStatus)1006, "client connection lost", SessionOutcome.ClientLost);

    /// <summary>The browser broke the WebSocket protocol: the code says how (1002, 1003, 1007), the text what it did.</summary>
    public static SessionCloseReason ProtocolViolation(WebSocketCloseStatus status, string what) => new(status, Truncate(what), SessionOutcome.ProtocolError);

    public static SessionCloseReason TargetUnreachable(string why) => new((WebSocketCloseStatus)4005, Truncate($"target unreachable: {why}"), SessionOutcome.TargetUnreachable);

    /// <summary>
    /// The VNC server was reached but the security proxy could not authenticate to it (4005 as for an unreachable
    /// target: the console is not there for this user; the text says why).
    /// </summary>
    public static SessionCloseReason TargetSecurity(string why) => new((WebSocketCloseStatus)4005, Truncate($"console security: {why}"), SessionOutcome.TargetUnreachable);

    /// <summary>
    /// Something inside the proxy failed (a bug, not a peer): the browser gets 1011 (internal error)
    /// if the connection still works, and the failure is logged with its stack.
    /// </summary>
    public static SessionCloseReason InternalError { get; } = new(WebSocketCloseStatus.InternalServerError, "proxy error", SessionOutcome.Error);

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
