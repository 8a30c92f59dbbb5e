using System.Net;
using System.Net.Sockets;

namespace TestKit.Network;

/// <summary>
/// An unused loopback port for a test's server, so parallel test classes and test projects never collide. Picked at
/// random in 20000-29999, below Linux's ephemeral range (32768-60999) and Kubernetes' NodePorts, and never twice in one
/// process. Why not port 0: the kernel hands out ephemeral ports in order and soon again, to listeners and to every
/// outgoing connection alike, so a port a test frees for a moment (a redis-server it restarts on the same port) was
/// taken by another test's proxy, and the Redis client met "HTTP/1.1 400" (seen with two test projects at once).
/// </summary>
public static class FreeTcpPort
{
    private const int First = 20_000;
    private const int End = 30_000;
    private static readonly HashSet<int> Handed = [];

    public static int Next(IPAddress? address = null)
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            lock (Handed)
            {
                if (!Handed.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(address ?? IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Someone listens there already: another draw.
            }
        }

        throw new InvalidOperationException($"no free loopback port in {First}-{End - 1} after 1,000 draws");
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
