using ConsoleProxy.Tokens.Urls;

namespace ConsoleProxy.Tokens.Tests.Urls;

/// <summary>The same WebSocket address the console pages compute (console/settings.js), for native clients.</summary>
public sealed class ConsoleWebSocketAddressTests
{
    [Theory]
    [InlineData("https://console.example.com/vnc_lite.html?path=websockify%3Ftoken%3Dabc", "wss://console.example.com/websockify?token=abc")]
    [InlineData("http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3Dabc", "ws://127.0.0.1:6080/?token=abc")]
    [InlineData("https://console.example.com/console/vnc_lite.html?path=console%2Fwebsockify%3Ftoken%3Dabc", "wss://console.example.com/console/websockify?token=abc")]
    [InlineData("http://127.0.0.1:6080/vnc_lite.html?path=%2Fwebsockify%3Ftoken%3Dabc", "ws://127.0.0.1:6080/websockify?token=abc")]
    [InlineData("https://console.example.com/vnc.html#path=websockify%3Ftoken%3Dabc", "wss://console.example.com/websockify?token=abc")]
    [InlineData("https://console.example.com/vnc.html?path=websockify&encrypt=0", "ws://console.example.com/websockify")]
    [InlineData("http://127.0.0.1:6080/vnc.html?host=::1&port=7000&path=websockify", "ws://[::1]:7000/websockify")]
    [InlineData("wss://console.example.com/websockify?token=abc", "wss://console.example.com/websockify?token=abc")]
    public void The_access_url_leads_where_the_console_page_would_connect(string accessUrl, string expected)
    {
        Assert.True(ConsoleWebSocketAddress.TryParse(accessUrl, out var webSocket, out var error), error);
        Assert.Equal(expected, webSocket.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("console.example.com/vnc_lite.html?path=websockify%3Ftoken%3Dsecret")]
    [InlineData("ftp://console.example.com/?path=websockify%3Ftoken%3Dsecret")]
    public void Anything_else_is_refused_without_repeating_the_url(string accessUrl)
    {
        Assert.False(ConsoleWebSocketAddress.TryParse(accessUrl, out _, out var error));
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }
}
