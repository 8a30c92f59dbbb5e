using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>Plain TCP straight to the target: the loopback limit.</summary>
public sealed class BlockingTcpConnection(Socket socket) : IBlockingBenchConnection
{
    public static BlockingTcpConnection Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return new BlockingTcpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }
    }

    public int Receive(Span<byte> buffer) => socket.Receive(buffer);

    public void Abort()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    public void Dispose() => socket.Dispose();
}
