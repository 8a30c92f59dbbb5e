using System.Net.Sockets;
using ConsoleProxy.WebSockets;

namespace ConsoleProxy.Relay;

/// <summary>
/// The relay's side towards the VNC server: the TCP socket itself (the zero-copy path, for a server the browser talks
/// RFB to directly), or a stream over it when the proxy speaks to the server itself (TLS: VeNCrypt or `--target-tls`).
/// Owns both and shuts them down once.
/// </summary>
public sealed class TargetConnection : IDisposable
{
    private readonly Stream? _stream;

    private TargetConnection(Socket socket, Stream? stream)
    {
        Socket = socket;
        _stream = stream;
    }

    public Socket Socket { get; }

    /// <summary>True when bytes go through a stream of the proxy's own (TLS), not straight through the socket.</summary>
    public bool IsSecured => _stream is not null;

    public static TargetConnection Plain(Socket socket) => new(socket, null);

    public static TargetConnection Secured(Socket socket, Stream stream) => new(socket, stream);

    /// <summary>
    /// Waits until the server has sent something, without holding a buffer (a zero-byte read). Towards a plain socket
    /// the wait takes no token: it is ended by shutting the connection down (<see cref="ShutDown"/>), which makes it
    /// return and the next read return 0, where a cancelled socket receive would throw (and again at each await it
    /// passes through), and a session's end is an outcome, not an error. Not an async method: the socket's (or the
    /// stream's) own wait is handed back as it is, so an idle session holds no state machine of ours here.
    /// </summary>
    public ValueTask<int> WaitReadableAsync(CancellationToken cancellationToken) =>
#pragma warning disable CA2022 // A zero-byte read only waits: it never reads anything to be inexact about.
        _stream is null
            ? Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, CancellationToken.None)
            : _stream.ReadAsync(Memory<byte>.Empty, cancellationToken);
#pragma warning restore CA2022

    /// <summary>Moves what the server has sent to the browser; 0 when the server's side has ended.</summary>
    public ValueTask<int> SendToBrowserAsync(WebSocketConnection browser, CancellationToken cancellationToken) =>
        _stream is null ? browser.SendFromAsync(Socket, cancellationToken) : browser.SendFromAsync(_stream, Socket, cancellationToken);

    /// <summary>Moves what the browser has sent to the server; see <see cref="WebSocketConnection.ReceiveToAsync(Socket, CancellationToken)"/>.</summary>
    public ValueTask<int> ReceiveFromBrowserAsync(WebSocketConnection browser, CancellationToken cancellationToken) =>
        _stream is null ? browser.ReceiveToAsync(Socket, cancellationToken) : browser.ReceiveToAsync(_stream, cancellationToken);

    /// <summary>Writes bytes of the proxy's own making (a view-only session's filtered input).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            await _stream.WriteAsync(data, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
            return;
        }

        while (!data.IsEmpty)
        {
            data = data[await Socket.SendAsync(data, SocketFlags.None, cancellationToken)..];
        }
    }

    /// <summary>
    /// Ends the connection to the server (both directions) without closing the socket: a receive waiting on it returns
    /// 0 (the end of the stream), where closing the socket under it would fail it with an exception, one a session
    /// (and one more at each await it passes through). The socket is closed by <see cref="Dispose"/>.
    /// </summary>
    public void ShutDown()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset or closed by the peer: nothing left to shut down.
        }
    }

    public void Dispose()
    {
        // The stream (TLS) is not closed politely: the socket under it is gone or going, and a close_notify on a dead
        // socket would only throw.
        _stream?.Dispose();
        Socket.Dispose();
    }
}
