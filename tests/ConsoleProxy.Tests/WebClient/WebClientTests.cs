using System.Net;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.WebClient;

public sealed class WebClientTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("/vnc.html")]
    [InlineData("/vnc_lite.html")]
    [InlineData("/vnc_auto.html")]
    public async Task The_noVNC_pages_are_served_never_cached_and_without_referrer(string page)
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        using var response = await Http.GetAsync(proxy.Url($"{page}?path=websockify%3Ftoken%3Dabc", "http"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("noVNC", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Vnc_auto_html_is_the_lite_page()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var auto = await Http.GetStringAsync(proxy.Url("/vnc_auto.html", "http"));

        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(TestProxy.DebianNoVnc, "vnc_lite.html")), auto);
    }

    [Fact]
    public async Task The_page_assets_are_served()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        using var response = await Http.GetAsync(proxy.Url("/core/rfb.js", "http"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_plain_request_to_an_unknown_path_is_404()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        using var response = await Http.GetAsync(proxy.Url("/websockify?token=abc", "http"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_web_folder_the_pages_are_404_an_error_is_logged_and_the_relay_still_works()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { WebRoot = "/nonexistent/novnc" });
        var token = await proxy.MintAsync(target.Target);

        using var response = await Http.GetAsync(proxy.Url("/vnc.html", "http"));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(proxy.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("/nonexistent/novnc", StringComparison.Ordinal));
        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(client, 1));
    }
}
