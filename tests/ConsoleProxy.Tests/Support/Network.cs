using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Tests.Support;

/// <summary>Loopback ports with a known behaviour for "the VNC server is not there" cases.</summary>
public static class Network
{
    /// <summary>A loopback port nobody listens on (bound then released: connecting gets a refusal).</summary>
    public static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
