using System.Net;
using System.Net.WebSockets;

namespace ConsoleProxy.Tests.Support;

/// <summary>A browser stand-in: System.Net.WebSockets.ClientWebSocket with the headers a browser would send.</summary>
public static class ProxyClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<ClientWebSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new ClientWebSocket();
        configure?.Invoke(client.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(uri, timeout.Token);
        return client;
    }

    /// <summary>Expects the upgrade to be refused; returns the HTTP status and body text.</summary>
    public static async Task<(int Status, string Body)> RefusalAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(client.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        var error = await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(uri, timeout.Token));
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, client.HttpStatusCode);
        return ((int)client.HttpStatusCode, error.Message);
    }

    /// <summary>
    /// Connects from another loopback address (e.g. 127.0.0.2; all of 127/8 is local on Linux): a second client as the
    /// proxy sees it, on the same machine.
    /// </summary>
    public static async Task<ClientWebSocket> ConnectFromAsync(IPAddress localAddress, Uri uri)
    {
        var client = new ClientWebSocket();
        using var invoker = BoundInvoker(localAddress);
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(uri, invoker, timeout.Token);
        return client;
    }

    /// <summary><see cref="RefusalAsync"/> from another loopback address.</summary>
    public static async Task<(int Status, string Body)> RefusalFromAsync(IPAddress localAddress, Uri uri)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        using var invoker = BoundInvoker(localAddress);
        using var timeout = new CancellationTokenSource(Timeout);
        var error = await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(uri, invoker, timeout.Token));
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, client.HttpStatusCode);
        return ((int)client.HttpStatusCode, error.Message);
    }

    private static HttpMessageInvoker BoundInvoker(IPAddress localAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(localAddress.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    public static async Task SendAsync(WebSocket client, byte[] data)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await client.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    /// <summary>Reads binary messages until <paramref name="count"/> bytes arrived (messages may split or merge).</summary>
    public static async Task<byte[]> ReceiveExactlyAsync(WebSocket client, int count)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var data = new byte[count];
        var received = 0;
        while (received < count)
        {
            var result = await client.ReceiveAsync(data.AsMemory(received), timeout.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            received += result.Count;
        }

        return data;
    }

    /// <summary>Reads (and discards data) until the server's close frame; returns its code and text.</summary>
    public static async Task<(int? Code, string? Reason)> ReceiveCloseAsync(WebSocket client, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ((int?)client.CloseStatus, client.CloseStatusDescription);
            }
        }
    }
}
