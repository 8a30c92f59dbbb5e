using ConsoleProxy.Tokens.Urls;

namespace ConsoleProxy.Tokens.Tests.Urls;

public sealed class AccessUrlTests
{
    private const string Token = "k3Jx_9-abcDEFghiJKLmnoPQRstuVWXyz0123456789";

    [Theory]
    [InlineData("https://console.example.com", "https://console.example.com/vnc_lite.html?path=websockify%3Ftoken%3D" + Token)]
    [InlineData("https://console.example.com/", "https://console.example.com/vnc_lite.html?path=websockify%3Ftoken%3D" + Token)]
    [InlineData("https://h/console/", "https://h/console/vnc_lite.html?path=console%2Fwebsockify%3Ftoken%3D" + Token)]
    [InlineData("https://h/console", "https://h/console/vnc_lite.html?path=console%2Fwebsockify%3Ftoken%3D" + Token)]
    [InlineData("https://h/a/b/", "https://h/a/b/vnc_lite.html?path=a%2Fb%2Fwebsockify%3Ftoken%3D" + Token)]
    [InlineData("http://127.0.0.1:6080/vnc_auto.html", "http://127.0.0.1:6080/vnc_auto.html?path=websockify%3Ftoken%3D" + Token)]
    [InlineData("http://127.0.0.1:6080/console/vnc.html", "http://127.0.0.1:6080/console/vnc.html?path=console%2Fwebsockify%3Ftoken%3D" + Token)]
    [InlineData("http://[::1]:6080/", "http://[::1]:6080/vnc_lite.html?path=websockify%3Ftoken%3D" + Token)]
    [InlineData("https://console.example.com:443/", "https://console.example.com/vnc_lite.html?path=websockify%3Ftoken%3D" + Token)]
    public void Builds_nova_shaped_URLs_with_the_path_prefix_inside_path(string baseUrl, string expected) =>
        Assert.Equal(expected, AccessUrl.Build(baseUrl, Token));

    [Fact]
    public void Decoding_path_as_noVNC_does_gives_the_WebSocket_path_and_token()
    {
        var url = new Uri(AccessUrl.Build("https://h/console/", Token));

        var path = Uri.UnescapeDataString(url.Query["?path=".Length..]);

        Assert.Equal("console/websockify?token=" + Token, path);
    }

    [Fact]
    public void A_token_with_URL_special_characters_survives_both_decodings()
    {
        const string token = "imported+token/with=odd&chars";

        var url = new Uri(AccessUrl.Build("https://h/", token));
        var path = Uri.UnescapeDataString(url.Query["?path=".Length..]);
        var webSocketQuery = path[(path.IndexOf('?', StringComparison.Ordinal) + "?token=".Length)..];

        Assert.DoesNotContain("&", url.Query, StringComparison.Ordinal);
        Assert.Equal(token, Uri.UnescapeDataString(webSocketQuery));
    }

    [Theory]
    [InlineData("https://console.example.com", "/websockify")]
    [InlineData("https://h/console/", "/console/websockify")]
    [InlineData("http://127.0.0.1:6080/vnc_auto.html", "/websockify")]
    [InlineData("http://h/a/b/vnc.html", "/a/b/websockify")]
    public void WebSocketPath_is_where_the_browser_opens_the_WebSocket(string baseUrl, string expected) =>
        Assert.Equal(expected, AccessUrl.WebSocketPath(baseUrl));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("console.example.com", "not an absolute http or https URL")]
    [InlineData("/console/", "not an absolute http or https URL")]
    [InlineData("ftp://console.example.com/", "not an absolute http or https URL")]
    [InlineData("https://h/console/?x=1", "query or fragment")]
    [InlineData("https://h/console/#top", "query or fragment")]
    [InlineData("https://admin:secret@h/", "user credentials")]
    public void Refuses_a_bad_base_URL_with_the_reason(string baseUrl, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => AccessUrl.Build(baseUrl, Token));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_empty_token() =>
        Assert.Throws<ArgumentException>(() => AccessUrl.Build("https://h/", string.Empty));
}
