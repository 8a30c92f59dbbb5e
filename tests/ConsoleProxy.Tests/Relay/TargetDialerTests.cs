using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ConsoleProxy.Relay;

namespace ConsoleProxy.Tests.Relay;

public sealed class TargetDialerTests
{
    [Fact]
    public async Task A_target_that_never_answers_the_handshake_fails_after_the_dial_timeout()
    {
        // A listener whose accept queue is full: the kernel drops further SYNs, like a firewalled host.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(endPoint);
            }

            await Task.Delay(200);
            var dialer = new TargetDialer(TimeProvider.System, TimeSpan.FromMilliseconds(700));
            var watch = Stopwatch.StartNew();

            var result = await dialer.DialAsync(endPoint, CancellationToken.None);

            Assert.False(result.IsConnected);
            Assert.Contains("no answer", result.Error, StringComparison.Ordinal);
            Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [Fact]
    public async Task A_connected_target_socket_has_nagle_off()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var dialer = new TargetDialer(TimeProvider.System, TimeSpan.FromSeconds(5));

        var result = await dialer.DialAsync((IPEndPoint)listener.LocalEndpoint, CancellationToken.None);

        Assert.True(result.IsConnected);
        using var socket = result.Socket;
        Assert.True(socket.NoDelay);
    }
}
