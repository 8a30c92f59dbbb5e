using System.Net.Http;
using System.Net.WebSockets;

namespace ConsoleProxy.Benchmarks.Clients;

/// <summary>A WebSocket connection through a proxy, as a browser's noVNC makes it (binary frames, subprotocol `binary` offered).</summary>
public sealed class WebSocketBenchConnection(ClientWebSocket webSocket) : IBenchConnection
{
    public static async Task<IBenchConnection> ConnectAsync(Uri uri, HttpMessageInvoker invoker, CancellationToken cancellationToken)
    {
        var webSocket = new ClientWebSocket();
        webSocket.Options.AddSubProtocol("binary");
        webSocket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await webSocket.ConnectAsync(uri, invoker, cancellationToken);
            return new WebSocketBenchConnection(webSocket);
        }
        catch
        {
            webSocket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        await webSocket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await webSocket.ReceiveAsync(buffer, cancellationToken);
        return result.MessageType == WebSocketMessageType.Close ? 0 : result.Count;
    }

    public void Abort() => webSocket.Abort();

    public void Dispose() => webSocket.Dispose();
}
