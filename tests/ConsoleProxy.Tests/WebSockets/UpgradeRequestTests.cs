using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.WebSockets;

/// <summary>
/// RFC 6455 section 4.4: a WebSocket request this server cannot serve gets 400, or 426 naming the version it speaks,
/// never the web client's 404; and HTTP/1.0, which has no upgrade mechanism, is refused rather than upgraded.
/// </summary>
public sealed class UpgradeRequestTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string GoodKey = "dGhlIHNhbXBsZSBub25jZQ==";

    [Theory]
    [InlineData("8", "426")]
    [InlineData("", "426")]
    [InlineData("13, 8", "426")]
    public async Task A_wrong_version_gets_426_with_the_version_this_server_speaks(string version, string status)
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var versionHeader = version.Length > 0 ? $"Sec-WebSocket-Version: {version}\r\n" : string.Empty;

        var response = await RawHttp.WholeResponseAsync(proxy.Port, Request("HTTP/1.1", "GET", versionHeader + $"Sec-WebSocket-Key: {GoodKey}\r\n", proxy.Port));

        Assert.StartsWith($"HTTP/1.1 {status}", response, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("unsupported Sec-WebSocket-Version", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==AA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]
    public async Task A_missing_or_malformed_key_gets_400(string key)
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var keyHeader = key.Length > 0 ? $"Sec-WebSocket-Key: {key}\r\n" : string.Empty;

        var response = await RawHttp.WholeResponseAsync(proxy.Port, Request("HTTP/1.1", "GET", "Sec-WebSocket-Version: 13\r\n" + keyHeader, proxy.Port));

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Key must be 16 random bytes in base64", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http_1_0_upgrade_is_refused_with_400()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var response = await RawHttp.WholeResponseAsync(proxy.Port, Request("HTTP/1.0", "GET", $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {GoodKey}\r\n", proxy.Port));

        Assert.Matches(@"^HTTP/1\.\d 400", response);
        Assert.Contains("a WebSocket upgrade needs HTTP/1.1 or later", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_that_asks_for_an_upgrade_is_refused_with_400()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var response = await RawHttp.WholeResponseAsync(proxy.Port, Request("HTTP/1.1", "POST", $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {GoodKey}\r\nContent-Length: 0\r\n", proxy.Port));

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("must be a GET request", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_upgrade_still_reaches_authorization_and_a_plain_get_still_reaches_the_web_client()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var upgrade = await RawHttp.WholeResponseAsync(proxy.Port, Request("HTTP/1.1", "GET", $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {GoodKey}\r\n", proxy.Port));
        var plain = await RawHttp.StatusLineAsync(proxy.Port, $"GET /websockify?token=x HTTP/1.1\r\nHost: 127.0.0.1:{proxy.Port}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 403", upgrade, StringComparison.Ordinal);
        Assert.Contains("unknown or expired token", upgrade, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", plain, StringComparison.Ordinal);
    }

    private static string Request(string version, string method, string headers, int port) =>
        $"{method} /websockify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA {version}\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n{headers}\r\n";
}
