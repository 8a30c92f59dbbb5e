using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;

namespace ConsoleProxy.Relay;

/// <summary>A connected socket, or why the VNC server could not be reached (shown to the user in the 4005 close).</summary>
public sealed class TargetDialResult
{
    private TargetDialResult(Socket? socket, string? error)
    {
        Socket = socket;
        Error = error;
    }

    public Socket? Socket { get; }

    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Socket))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsConnected => Socket is not null;

    public static TargetDialResult Connected(Socket socket) => new(socket, null);

    public static TargetDialResult Failed(string error) => new(null, error);
}
