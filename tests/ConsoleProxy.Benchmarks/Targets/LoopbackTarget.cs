using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;

namespace ConsoleProxy.Benchmarks.Targets;

/// <summary>
/// A loopback TCP server standing in for the VNC server, in one <see cref="TargetMode"/>. Its
/// buffers are allocated once per connection, and it counts the bytes it received (the sink's
/// count is the client-to-server figure, measured where the bytes arrive). With a certificate it
/// speaks TLS first (a VNC server behind TLS, for `consoleproxy serve --target-tls`).
/// </summary>
public sealed class LoopbackTarget : IAsyncDisposable
{
    public const int ChunkSize = 256 * 1024;

    private static readonly byte[] Greeting = "RFB 003.008\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly X509Certificate2? _tls;
    private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>(new UnboundedChannelOptions { SingleReader = true });
    private long _received;

    public LoopbackTarget(TargetMode mode, X509Certificate2? tls = null)
    {
        Mode = mode;
        _tls = tls;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _accepting = mode switch
        {
            TargetMode.Greeting or TargetMode.Console => AcceptAsync(),
            _ => Measurements.DedicatedThread.RunAsync($"accept {mode}", AcceptBlocking),
        };
    }

    public TargetMode Mode { get; }

    public int Port { get; }

    public long Received => Volatile.Read(ref _received);

    /// <summary>Console targets: the connections accepted, for the load generator to drive (it owns and closes them).</summary>
    public ChannelReader<Socket> Accepted => _accepted.Reader;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var unclaimed))
        {
            unclaimed.Dispose();
        }

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

    /// <summary>Greeting and console targets: thousands of connections are open at once, so no thread each.</summary>
    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            socket.NoDelay = true;
            if (Mode == TargetMode.Console)
            {
                if (!_accepted.Writer.TryWrite(socket))
                {
                    socket.Dispose();
                }

                continue;
            }

            _ = GreetAsync(socket);
        }
    }

    /// <summary>
    /// Busy targets: a thread per connection blocking in its system calls, like the client's. The
    /// listener is never used asynchronously, so .NET leaves the accepted sockets in blocking mode
    /// (after any async call it emulates blocking calls through its event loop: a thread hop each).
    /// </summary>
    private bool AcceptBlocking()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = _listener.Accept();
                socket.NoDelay = true;
                new Thread(() => Serve(socket)) { IsBackground = true, Name = $"target {Mode}" }.Start();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The listener was closed: stopping.
        }

        return true;
    }

    private void Serve(Socket socket)
    {
        if (_tls is not null)
        {
            ServeOverTls(socket, _tls);
            return;
        }

        using (socket)
        {
            try
            {
                var buffer = new byte[ChunkSize];
                switch (Mode)
                {
                    case TargetMode.Source:
                        Random.Shared.NextBytes(buffer);
                        while (!_stop.IsCancellationRequested)
                        {
                            socket.Send(buffer);
                        }

                        return;

                    case TargetMode.Sink:
                        while (true)
                        {
                            var read = socket.Receive(buffer);
                            if (read == 0)
                            {
                                return;
                            }

                            Interlocked.Add(ref _received, read);
                        }

                    default:
                        while (true)
                        {
                            var read = socket.Receive(buffer);
                            if (read == 0)
                            {
                                return;
                            }

                            socket.Send(buffer.AsSpan(0, read));
                        }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The client went away (benchmarks abort their connections): this connection is done.
            }
        }
    }

    /// <summary>As <see cref="Serve"/>, through TLS: the cost a VNC server's TLS adds is the one being measured.</summary>
    private void ServeOverTls(Socket socket, X509Certificate2 certificate)
    {
        using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            tls.AuthenticateAsServer(certificate);
            var buffer = new byte[ChunkSize];
            switch (Mode)
            {
                case TargetMode.Source:
                    Random.Shared.NextBytes(buffer);
                    while (!_stop.IsCancellationRequested)
                    {
                        tls.Write(buffer);
                    }

                    return;

                case TargetMode.Sink:
                    while (true)
                    {
                        var read = tls.Read(buffer);
                        if (read == 0)
                        {
                            return;
                        }

                        Interlocked.Add(ref _received, read);
                    }

                default:
                    while (true)
                    {
                        var read = tls.Read(buffer);
                        if (read == 0)
                        {
                            return;
                        }

                        tls.Write(buffer.AsSpan(0, read));
                    }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away (benchmarks abort their connections): this connection is done.
        }
    }

    private async Task GreetAsync(Socket socket)
    {
        if (_tls is not null)
        {
            await GreetOverTlsAsync(socket, _tls);
            return;
        }

        using (socket)
        {
            try
            {
                await socket.SendAsync(Greeting, SocketFlags.None, _stop.Token);

                // Idle until the client goes.
                var discard = new byte[1];
                while (await socket.ReceiveAsync(discard, SocketFlags.None, _stop.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away: this connection is done.
            }
        }
    }

    private async Task GreetOverTlsAsync(Socket socket, X509Certificate2 certificate)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, _stop.Token);
            await tls.WriteAsync(Greeting, _stop.Token);
            var discard = new byte[1];
            while (await tls.ReadAsync(discard, _stop.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away: this connection is done.
        }
    }
}
