using System.Text.Json;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// How the console pages read their link, run in Chromium on the modules the proxy serves
/// (console/settings.js): every link shape nova, websockify and noVNC users have must lead to the
/// right WebSocket address, and the options noVNC's pages take must keep their meaning.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class ConsolePageSettingsTests(ConsoleStack stack)
{
    [Theory]
    [InlineData("http:", "127.0.0.1", "6080", "path=websockify%3Ftoken%3Dabc", "ws://127.0.0.1:6080/websockify?token=abc")]
    [InlineData("http:", "127.0.0.1", "6080", "path=%3Ftoken%3Dabc", "ws://127.0.0.1:6080/?token=abc")]
    [InlineData("http:", "127.0.0.1", "6080", "", "ws://127.0.0.1:6080/websockify")]
    [InlineData("https:", "console.example.com", "", "path=websockify%3Ftoken%3Dabc", "wss://console.example.com/websockify?token=abc")]
    [InlineData("https:", "console.example.com", "", "path=websockify&encrypt=0", "ws://console.example.com/websockify")]
    [InlineData("http:", "[::1]", "6080", "path=%3Ftoken%3Dabc", "ws://[::1]:6080/?token=abc")]
    [InlineData("http:", "127.0.0.1", "6080", "host=::1&port=7000&path=websockify", "ws://[::1]:7000/websockify")]
    [InlineData("http:", "127.0.0.1", "6080", "path=%2Fwebsockify%3Ftoken%3Dabc", "ws://127.0.0.1:6080/websockify?token=abc")]
    public async Task The_link_leads_to_the_right_WebSocket_address(
        string protocol, string hostname, string port, string query, string expected)
    {
        var settings = await ReadSettingsAsync(new PageLocation(protocol, hostname, port, "?" + query, ""));

        Assert.Equal(expected, settings.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Options_keep_the_meaning_they_have_in_noVNCs_own_pages()
    {
        var settings = await ReadSettingsAsync(new PageLocation(
            "http:", "127.0.0.1", "6080", "?path=websockify&view_only=true&resize=remote&shared=0&quality=9", "#password=secret"));

        Assert.True(settings.GetProperty("viewOnly").GetBoolean());
        Assert.Equal("remote", settings.GetProperty("resizeMode").GetString());
        Assert.False(settings.GetProperty("shared").GetBoolean());
        Assert.Equal(9, settings.GetProperty("qualityLevel").GetInt32());
        // After '#': never sent to a server, so a password there stays out of access logs.
        Assert.Equal("secret", settings.GetProperty("password").GetString());
    }

    [Fact]
    public async Task The_older_scale_option_scales_and_defaults_keep_the_session_interactive()
    {
        var scaled = await ReadSettingsAsync(new PageLocation("http:", "127.0.0.1", "6080", "?scale=true", ""));
        var plain = await ReadSettingsAsync(new PageLocation("http:", "127.0.0.1", "6080", "?quality=12", ""));

        Assert.Equal("scale", scaled.GetProperty("resizeMode").GetString());
        Assert.Equal("off", plain.GetProperty("resizeMode").GetString());
        Assert.False(plain.GetProperty("viewOnly").GetBoolean());
        Assert.True(plain.GetProperty("shared").GetBoolean());
        Assert.True(plain.GetProperty("autoconnect").GetBoolean());
        Assert.Equal(6, plain.GetProperty("qualityLevel").GetInt32());
    }

    private Task<JsonElement> ReadSettingsAsync(PageLocation location) => stack.EvaluateInProxyPageAsync(
        """
        async location => {
            const { readSettings } = await import('/console/settings.js');
            return readSettings(location);
        }
        """,
        new { protocol = location.Protocol, hostname = location.Hostname, port = location.Port, search = location.Search, hash = location.Hash });
}
