using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Benchmarks.Targets;

/// <summary>
/// A loopback TCP server standing in for the VNC server, in one <see cref="TargetMode"/>. Its
/// buffers are allocated once per connection, and it counts the bytes it received (the sink's
/// count is the client-to-server figure, measured where the bytes arrive).
/// </summary>
public sealed class LoopbackTarget : IAsyncDisposable
{
    public const int ChunkSize = 64 * 1024;

    private static readonly byte[] Greeting = "RFB 003.008\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _received;

    public LoopbackTarget(TargetMode mode)
    {
        Mode = mode;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public TargetMode Mode { get; }

    public int Port { get; }

    public long Received => Volatile.Read(ref _received);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            socket.NoDelay = true;
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                switch (Mode)
                {
                    case TargetMode.Source:
                        var chunk = new byte[ChunkSize];
                        Random.Shared.NextBytes(chunk);
                        while (true)
                        {
                            await socket.SendAsync(chunk, SocketFlags.None, _stop.Token);
                        }

                    case TargetMode.Sink:
                        var sink = new byte[ChunkSize];
                        while (true)
                        {
                            var read = await socket.ReceiveAsync(sink, SocketFlags.None, _stop.Token);
                            if (read == 0)
                            {
                                return;
                            }

                            Interlocked.Add(ref _received, read);
                        }

                    case TargetMode.Echo:
                        var echo = new byte[ChunkSize];
                        while (true)
                        {
                            var read = await socket.ReceiveAsync(echo, SocketFlags.None, _stop.Token);
                            if (read == 0)
                            {
                                return;
                            }

                            await socket.SendAsync(echo.AsMemory(0, read), SocketFlags.None, _stop.Token);
                        }

                    default:
                        await socket.SendAsync(Greeting, SocketFlags.None, _stop.Token);

                        // Idle until the client goes.
                        var discard = new byte[1];
                        while (await socket.ReceiveAsync(discard, SocketFlags.None, _stop.Token) > 0)
                        {
                        }

                        return;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away (benchmarks abort their connections): this connection is done.
            }
        }
    }
}
