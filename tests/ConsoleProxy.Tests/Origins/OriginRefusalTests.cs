using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Origins;

public sealed class OriginRefusalTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_page_from_another_site_is_refused_with_403()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"), options => options.SetRequestHeader("Origin", "http://evil.example.com"));

        Assert.Equal(403, status);
        Assert.Equal(0, target.Accepted);
    }

    [Fact]
    public async Task The_proxy_s_own_page_origin_is_accepted()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), options => options.SetRequestHeader("Origin", $"http://127.0.0.1:{proxy.Port}"));

        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task An_https_page_behind_a_TLS_terminating_proxy_is_accepted_with_X_Forwarded_Proto()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        var (withoutHeader, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"), options => options.SetRequestHeader("Origin", "https://127.0.0.1"));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), options =>
        {
            options.SetRequestHeader("Origin", "https://127.0.0.1");
            options.SetRequestHeader("X-Forwarded-Proto", "https");
        });

        Assert.Equal(403, withoutHeader);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task An_http_page_is_refused_when_the_load_balancer_says_the_browser_used_https()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"), options =>
        {
            options.SetRequestHeader("Origin", "http://127.0.0.1");
            options.SetRequestHeader("X-Forwarded-Proto", "https");
        });

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task An_allowed_origin_from_the_options_is_accepted()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { AllowedOrigins = ["https://console.example.com"] });
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), options => options.SetRequestHeader("Origin", "https://console.example.com"));

        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task With_ssl_only_a_plain_request_is_refused_and_a_forwarded_https_one_accepted()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { SslOnly = true });
        var token = await proxy.MintAsync(target.Target);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), options => options.SetRequestHeader("X-Forwarded-Proto", "https"));

        Assert.Equal(403, status);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
    }
}
