using System.Net.WebSockets;

namespace ConsoleProxy.WebSockets.Protocol;

/// <summary>
/// The browser broke the WebSocket protocol: the session ends with a close frame carrying
/// <see cref="Status"/> (1002, 1003, 1007) and this message as its reason, so the peer learns why.
/// An <see cref="IOException"/>: to the relay it is one more way the browser's side failed.
/// </summary>
public sealed class WebSocketProtocolException(WebSocketCloseStatus status, string message) : IOException(message)
{
    public WebSocketCloseStatus Status { get; } = status;
}
