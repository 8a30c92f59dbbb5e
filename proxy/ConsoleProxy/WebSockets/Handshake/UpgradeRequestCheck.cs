using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ConsoleProxy.WebSockets.Handshake;

/// <summary>
/// A request that asks for a WebSocket (an <c>Upgrade: websocket</c> header) but cannot have one gets the answer RFC
/// 6455 section 4.4 prescribes instead of falling through to the web client's 404: 426 with the version this
/// server speaks for a wrong <c>Sec-WebSocket-Version</c>, 400 for a missing or malformed key, a method other than
/// GET, or HTTP/1.0, which has no upgrade mechanism (RFC 6455 section 4.1 asks for HTTP/1.1 or later).
/// </summary>
public static class UpgradeRequestCheck
{
    public const string SupportedVersion = "13";

    /// <summary>Null when the request is no WebSocket attempt at all, or a valid one; otherwise why it is refused.</summary>
    public static UpgradeRefusal? Check(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AsksForWebSocket(request))
        {
            return null;
        }

        if (HttpProtocol.IsHttp10(request.Protocol))
        {
            return new(StatusCodes.Status400BadRequest, "a WebSocket upgrade needs HTTP/1.1 or later");
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return new(StatusCodes.Status400BadRequest, "a WebSocket upgrade must be a GET request");
        }

        if (request.Headers.SecWebSocketVersion.ToString().Trim() != SupportedVersion)
        {
            return new(StatusCodes.Status426UpgradeRequired, $"unsupported Sec-WebSocket-Version; this server speaks version {SupportedVersion}", SupportedVersion);
        }

        return IsValidKey(request.Headers.SecWebSocketKey.ToString())
            ? null
            : new(StatusCodes.Status400BadRequest, "Sec-WebSocket-Key must be 16 random bytes in base64");
    }

    private static bool AsksForWebSocket(HttpRequest request) =>
        request.Headers.Upgrade.Any(value => value is not null && value.Split(',').Any(token => token.Trim().Equals("websocket", StringComparison.OrdinalIgnoreCase)));

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
    }
}
