using System.Diagnostics;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tests.Sessions;

public sealed class SessionEndTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Revoking_a_token_closes_its_live_session_with_4001_within_two_seconds()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        var other = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        using var bystander = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={other}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 2, "both sessions to start");

        var watch = Stopwatch.StartNew();
        Assert.True(await proxy.App.Store.RevokeAsync(TokenHash.Of(token), CancellationToken.None));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(2));

        Assert.Equal(4001, code);
        Assert.Equal("token revoked", reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        await ProxyClient.SendAsync(bystander, [5]);
        Assert.Equal(new byte[] { 5 }, await ProxyClient.ReceiveExactlyAsync(bystander, 1));
    }

    [Fact]
    public async Task With_enforced_expiry_a_session_closes_with_4002_when_its_token_expires()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { EnforceExpiry = true }, clock);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromMinutes(5));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        clock.Advance(TimeSpan.FromMinutes(4));
        await ProxyClient.SendAsync(client, [1]);
        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(client, 1));
        clock.Advance(TimeSpan.FromMinutes(1));
        var (code, _) = await ProxyClient.ReceiveCloseAsync(client);

        Assert.Equal(4002, code);
    }

    [Fact]
    public async Task Without_enforced_expiry_a_session_outlives_its_token()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, timeProvider: clock);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromMinutes(5));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        clock.Advance(TimeSpan.FromMinutes(10));
        await ProxyClient.SendAsync(client, [1]);

        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(client, 1));
    }

    [Fact]
    public async Task A_session_without_traffic_closes_with_4003_after_the_idle_timeout_and_traffic_postpones_it()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { IdleTimeout = TimeSpan.FromMinutes(5) }, clock);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(1));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        clock.Advance(TimeSpan.FromMinutes(4));
        await ProxyClient.SendAsync(client, [1]);
        await ProxyClient.ReceiveExactlyAsync(client, 1);
        clock.Advance(TimeSpan.FromMinutes(4));
        await ProxyClient.SendAsync(client, [2]);
        Assert.Equal(new byte[] { 2 }, await ProxyClient.ReceiveExactlyAsync(client, 1));

        clock.Advance(TimeSpan.FromMinutes(6));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client);

        Assert.Equal(4003, code);
        Assert.Equal("idle timeout", reason);
    }

    [Fact]
    public async Task Control_frames_from_the_browser_are_not_console_traffic_and_do_not_postpone_the_idle_timeout()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { IdleTimeout = TimeSpan.FromMinutes(5) }, clock);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(1));

        // .NET's client sends an unsolicited pong at every keep-alive interval (a one-way heartbeat).
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), options => options.KeepAliveInterval = TimeSpan.FromMilliseconds(20));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        clock.Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        clock.Advance(TimeSpan.FromMinutes(2));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client);

        Assert.Equal(4003, code);
        Assert.Equal("idle timeout", reason);
    }

    [Fact]
    public async Task A_session_closes_with_4004_at_the_maximum_duration_even_with_traffic()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { MaxDuration = TimeSpan.FromHours(1), IdleTimeout = TimeSpan.FromMinutes(30) }, clock);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        for (var i = 0; i < 2; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            await ProxyClient.SendAsync(client, [3]);
            await ProxyClient.ReceiveExactlyAsync(client, 1);
        }

        clock.Advance(TimeSpan.FromMinutes(20));
        var (code, _) = await ProxyClient.ReceiveCloseAsync(client);

        Assert.Equal(4004, code);
    }

    [Fact]
    public async Task Draining_refuses_new_sessions_with_503_and_closes_live_ones_with_1001()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        proxy.App.Sessions.BeginDrain();
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        proxy.App.Sessions.CloseAllForDrain();
        var (code, _) = await ProxyClient.ReceiveCloseAsync(client);

        Assert.Equal(503, status);
        Assert.Equal(1001, code);
    }
}
