using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Authorization;

public sealed class RefusalTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static string Failure(string reason) => $"consoleproxy_authorization_failures_total{{reason=\"{reason}\"}}";

    [Fact]
    public async Task An_unknown_token_is_refused_with_403_before_the_upgrade()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url("/websockify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));

        Assert.Equal(403, status);
        Assert.Equal(0, target.Accepted);
        Assert.Contains("Session refused with 403: unknown or expired token", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Contains(proxy.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("No --allowed-target given", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_without_any_token_is_refused_with_403()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url("/websockify"));

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task A_token_longer_than_any_minted_one_is_refused_as_too_long_not_as_missing()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url("/websockify?token=" + new string('A', 600)));

        Assert.Equal(403, status);
        Assert.Contains("Session refused with 403: token too long (more than 512 characters", proxy.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("token missing", proxy.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('A', 600), proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_past_its_expiry_on_the_proxy_clock_is_refused_with_403()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, timeProvider: clock);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromMinutes(1));
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        clock.Advance(TimeSpan.FromMinutes(2));
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(403, status);
        Assert.Contains("Session refused with 403: token expired", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Equal(before[Failure("expired")] + 1, after[Failure("expired")]);
        Assert.Equal(before[Failure("unknown_token")], after[Failure("unknown_token")]);
        Assert.Equal(0, target.Accepted);
    }

    [Fact]
    public async Task A_single_use_token_opens_one_session_and_the_second_connect_gets_403()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target, flags: TokenFlags.SingleUse);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(403, status);
        Assert.Equal(before[Failure("consumed")] + 1, after[Failure("consumed")]);
        Assert.Equal(before[Failure("unknown_token")], after[Failure("unknown_token")]);
        Assert.Contains(proxy.Logs.Lines, line => line.Contains("Session refused with 403: token already used", StringComparison.Ordinal)
            && line.Contains($"token {TokenHash.Of(token).ShortForm})", StringComparison.Ordinal));
        await ProxyClient.SendAsync(first, [7]);
        Assert.Equal(new byte[] { 7 }, await ProxyClient.ReceiveExactlyAsync(first, 1));
    }

    [Fact]
    public async Task A_reusable_token_opens_several_sessions()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        using var second = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));

        await Poll.UntilAsync(() => target.Accepted == 2, "two VNC connections");
    }

    [Fact]
    public async Task A_target_outside_the_allowed_targets_is_refused_with_403_and_never_dialed()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { AllowedTargets = ["10.0.0.0/8:5900-5999"] });
        var token = await proxy.MintAsync(target.Target);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));

        Assert.Equal(403, status);
        Assert.Equal(0, target.Accepted);
        Assert.Contains("target not allowed", proxy.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("No --allowed-target given", proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_port_outside_the_allowed_range_is_refused_even_on_an_allowed_network()
    {
        await using var target = TcpEchoTarget.Start();
        var otherPort = target.Target.Port == 65535 ? 65534 : target.Target.Port + 1;
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { AllowedTargets = [$"127.0.0.0/8:{otherPort}"] });
        var token = await proxy.MintAsync(target.Target);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task A_host_name_target_is_checked_against_the_policy_on_its_resolved_address()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { AllowedTargets = ["127.0.0.0/8"] });
        var token = await proxy.MintAsync(new ConsoleProxy.Tokens.Targets.ConsoleTarget("localhost", target.Target.Port));

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [9]);

        Assert.Equal(new byte[] { 9 }, await ProxyClient.ReceiveExactlyAsync(client, 1));
    }

    [Fact]
    public async Task An_unreachable_target_is_reported_after_the_upgrade_with_4005_and_a_reason()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(new ConsoleProxy.Tokens.Targets.ConsoleTarget("127.0.0.1", closedPort));

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client);

        Assert.Equal(4005, code);
        Assert.Contains("target unreachable", reason, StringComparison.Ordinal);
        Assert.Contains("ConnectionRefused", reason, StringComparison.Ordinal);
        await Poll.UntilAsync(() => proxy.App.Sessions.Reserved == 0, "the slot to be released");
    }

    [Fact]
    public async Task At_capacity_new_sessions_get_503_and_a_freed_slot_is_usable_again()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { MaxSessions = 1 });
        var token = await proxy.MintAsync(target.Target);

        var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        Assert.Equal(503, status);

        using (var timeout = new CancellationTokenSource(ProxyClient.Timeout))
        {
            await first.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        first.Dispose();
        await Poll.UntilAsync(() => proxy.App.Sessions.Reserved == 0, "the slot to be released");
        using var again = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
    }

    [Fact]
    public async Task A_capacity_refusal_does_not_consume_a_single_use_token()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { MaxSessions = 1 });
        var filler = await proxy.MintAsync(target.Target);
        var singleUse = await proxy.MintAsync(target.Target, flags: TokenFlags.SingleUse);
        var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={filler}"));

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={singleUse}"));
        Assert.Equal(503, status);
        first.Abort();
        first.Dispose();
        await Poll.UntilAsync(() => proxy.App.Sessions.Reserved == 0, "the slot to be released");

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={singleUse}"));
    }

    [Fact]
    public async Task While_redis_is_down_upgrades_get_503_and_after_it_returns_sessions_work_again()
    {
        await using var ownRedis = await TestKit.Processes.RedisServer.StartAsync();
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(ownRedis);
        var before = await proxy.MintAsync(target.Target);

        await ownRedis.StopAsync();
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={before}"));
        Assert.Equal(503, status);

        await ownRedis.StartAgainAsync();
        string? token = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (token is null)
        {
            try
            {
                token = await proxy.MintAsync(target.Target);
            }
            catch (TokenStoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [4, 2]);
        Assert.Equal(new byte[] { 4, 2 }, await ProxyClient.ReceiveExactlyAsync(client, 2));
    }
}
