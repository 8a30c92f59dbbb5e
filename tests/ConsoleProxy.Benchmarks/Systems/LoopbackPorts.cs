using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>Free loopback ports for the processes the benchmark starts.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
