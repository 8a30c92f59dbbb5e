using System.Net;
using System.Net.Sockets;

namespace TestKit.Network;

/// <summary>Asks the kernel for an unused loopback port, so parallel test classes never collide.</summary>
public static class FreeTcpPort
{
    public static int Next(IPAddress? address = null)
    {
        using var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls until something accepts connections on the port, or fails with the given context.</summary>
    public static async Task WaitUntilListeningAsync(IPAddress address, int port, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient(address.AddressFamily);
                await client.ConnectAsync(address, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                throw new TimeoutException($"nothing listens on {address}:{port} after {timeout}: {e.Message}\n{context()}", e);
            }
        }
    }
}
