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
    public async Task By_default_only_the_proxy_s_own_origin_may_frame_the_pages()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        using var response = await Http.GetAsync(proxy.Url("/vnc_lite.html", "http"));

        Assert.Equal("frame-ancestors 'self'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("SAMEORIGIN", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Named_frame_ancestors_join_the_policy_and_x_frame_options_steps_aside()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { FrameAncestors = ["https://portal.example.com", "https://*.Dashboards.example.com:8443/"] });

        using var response = await Http.GetAsync(proxy.Url("/vnc.html", "http"));

        Assert.Equal(
            "frame-ancestors 'self' https://portal.example.com https://*.dashboards.example.com:8443",
            string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Theory]
    [InlineData("portal.example.com")]
    [InlineData("https://portal.example.com/embed")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://portal.example.com; script-src *")]
    public void A_frame_ancestor_that_is_not_an_origin_is_refused_before_start(string ancestor)
    {
        var errors = ConsoleProxy.Hosting.ProxyOptionsValidator.Validate(new ConsoleProxy.Configuration.ProxyOptions { RedisAddress = "127.0.0.1:1", WebRoot = "/x", FrameAncestors = [ancestor] });

        Assert.Contains(errors, error => error.StartsWith("--frame-ancestor: ", StringComparison.Ordinal) && error.Contains(ancestor, StringComparison.Ordinal));
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
