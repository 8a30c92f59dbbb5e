using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace ConsoleProxy.WebSockets.Handshake;

/// <summary>
/// Completes the server side of the opening handshake for a request ASP.NET Core already
/// recognised as a WebSocket request, and hands back a <see cref="WebSocketConnection"/> framed
/// over the connection's own pipes. HTTP/1.1 gets 101 and Kestrel's transport pipes directly;
/// HTTP/2 (RFC 8441, which Chromium uses when the page came over h2) gets 200 and pipes around
/// the CONNECT stream.
/// </summary>
public static class WebSocketHandshake
{
    // RFC 6455 section 1.3: appended to the client's key before hashing.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Sec-WebSocket-Accept for a Sec-WebSocket-Key.</summary>
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 prescribes here; it proves the server speaks WebSocket, it protects nothing.
    public static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350

    public static async Task<WebSocketConnection> AcceptAsync(HttpContext context, string? subProtocol, TimeSpan pingInterval, TimeProvider timeProvider)
    {
        if (subProtocol is not null)
        {
            context.Response.Headers.SecWebSocketProtocol = subProtocol;
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return OverStream(await connect.AcceptAsync(), context, pingInterval, timeProvider);
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            throw new InvalidOperationException("the request cannot be upgraded");
        }

        context.Response.Headers.Connection = HeaderNames.Upgrade;
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());

        var upgraded = await upgrade.UpgradeAsync();

        // After the 101 nothing of Kestrel's HTTP/1.1 layer reads or writes the connection again:
        // frame straight on the connection's transport pipes (the socket's buffers, or TLS's), not
        // through the upgraded stream, whose every read and write is one more copy.
        if (context.Features.Get<IConnectionTransportFeature>()?.Transport is { } transport)
        {
            return new WebSocketConnection(transport.Input, transport.Output, context.Abort, pingInterval, timeProvider);
        }

        // A server without transport pipes (a test host): frame over the upgraded stream instead.
        return OverStream(upgraded, context, pingInterval, timeProvider);
    }

    private static WebSocketConnection OverStream(Stream stream, HttpContext context, TimeSpan pingInterval, TimeProvider timeProvider) =>
        new(
            PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)),
            context.Abort,
            pingInterval,
            timeProvider);
}
