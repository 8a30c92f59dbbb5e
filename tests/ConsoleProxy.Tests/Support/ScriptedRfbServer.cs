using System.Net;
using System.Net.Sockets;
using System.Text;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Support;

/// <summary>
/// A minimal RFB 3.8 server for one client: version exchange, security None, ClientInit, a
/// 640x480 ServerInit; afterwards it records every byte the client sends, so tests can see what a
/// view-only session let through.
/// </summary>
public sealed class ScriptedRfbServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly MemoryStream _afterHandshake = new();
    private readonly TaskCompletionSource<byte[]> _clientHandshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;
    private Socket? _socket;

    public ScriptedRfbServer()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    public ConsoleTarget Target => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    /// <summary>What the client sent during the handshake: version line, security choice, ClientInit.</summary>
    public Task<byte[]> ClientHandshake => _clientHandshake.Task;

    public byte[] ReceivedAfterHandshake()
    {
        lock (_afterHandshake)
        {
            return _afterHandshake.ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _socket?.Dispose();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException or IOException)
        {
        }
    }

    private async Task ServeAsync()
    {
        _socket = await _listener.AcceptSocketAsync();
        using var stream = new NetworkStream(_socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"));
        var version = new byte[12];
        await stream.ReadExactlyAsync(version);
        await stream.WriteAsync(new byte[] { 1, 1 }); // one security type: None
        var choice = new byte[1];
        await stream.ReadExactlyAsync(choice);
        await stream.WriteAsync(new byte[] { 0, 0, 0, 0 }); // SecurityResult OK
        var clientInit = new byte[1];
        await stream.ReadExactlyAsync(clientInit);
        _clientHandshake.TrySetResult([.. version, .. choice, .. clientInit]);

        var serverInit = new byte[24];
        serverInit[0] = 0x02; // 640
        serverInit[1] = 0x80;
        serverInit[2] = 0x01; // 480
        serverInit[3] = 0xE0;
        await stream.WriteAsync(serverInit);

        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            lock (_afterHandshake)
            {
                _afterHandshake.Write(buffer, 0, read);
            }
        }
    }
}
