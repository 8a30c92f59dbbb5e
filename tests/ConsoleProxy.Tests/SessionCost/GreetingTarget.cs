using System.Net;
using System.Net.Sockets;
using System.Text;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.SessionCost;

/// <summary>
/// A loopback VNC server reduced to its first words, for any number of sessions: it sends RFB's version line and
/// then either waits for the proxy to end the connection or (<see cref="HangsUp"/>) ends it itself. It is written
/// not to throw on a connection's normal end (a receive returning 0), so that what a session throws is the proxy's.
/// </summary>
public sealed class GreetingTarget : IAsyncDisposable
{
    private static readonly byte[] Greeting = Encoding.ASCII.GetBytes("RFB 003.008\n");

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private GreetingTarget(bool hangsUp)
    {
        HangsUp = hangsUp;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    /// <summary>Whether the server closes each connection right after its greeting.</summary>
    public bool HangsUp { get; }

    public ConsoleTarget Target => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndPoint!).Port);

    public static GreetingTarget Start(bool hangsUp) => new(hangsUp);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(_stop.Token);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            await connection.SendAsync(Greeting, SocketFlags.None);
            if (HangsUp)
            {
                connection.Shutdown(SocketShutdown.Send);
            }

            // Until the proxy ends its side: a FIN reads as 0, without an exception.
            var discard = new byte[256];
            while (await connection.ReceiveAsync(discard, SocketFlags.None) > 0)
            {
            }
        }
    }
}
