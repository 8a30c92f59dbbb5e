using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>Plain TCP to the target or to a TCP relay: driven async or, on a socket never used async, blocking.</summary>
public sealed class TcpConnection(Socket socket) : IBenchConnection, IBlockingBenchConnection
{
    private byte[]? _scratch;

    public static async Task<IBenchConnection> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var socket = NewSocket();
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new TcpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static IBlockingBenchConnection Connect(int port)
    {
        var socket = NewSocket();
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return new TcpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, SocketFlags.None, cancellationToken)..];
        }
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }
    }

    public int Receive(Span<byte> buffer) => socket.Receive(buffer);

    public int Skip(int limit)
    {
        if (_scratch is null || _scratch.Length < limit)
        {
            _scratch = new byte[limit];
        }

        return socket.Receive(_scratch.AsSpan(0, limit));
    }

    public void Abort()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public void Dispose() => socket.Dispose();

    private static Socket NewSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
}
