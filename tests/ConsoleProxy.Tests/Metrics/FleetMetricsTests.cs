using System.Net.WebSockets;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;
using System.Text;
using ConsoleProxy.Metrics;
using ConsoleProxy.Sessions;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Metrics;

/// <summary>What a fleet operator looks at beyond one session: Redis command latency and failures, live sessions per ConsoleProxy.</summary>
public sealed class FleetMetricsTests
{
    private static string Calls(string operation) => $"consoleproxy_redis_command_duration_seconds_count{{operation=\"{operation}\"}}";

    private static string Failures(string operation) => $"consoleproxy_redis_command_failures_total{{operation=\"{operation}\"}}";

    [Fact]
    public async Task Redis_calls_are_timed_by_operation_and_failures_counted_when_redis_is_down()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis);
        var token = await proxy.MintAsync(target.Target);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}")))
        {
            using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        var working = await MetricsScrape.TakeAsync(proxy.Port);
        await redis.StopAsync();
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        var down = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.True(before[Calls("subscribe")] >= 1, "the revocation subscription at start is a timed call");
        Assert.Equal(before[Calls("redeem")] + 1, working[Calls("redeem")]);
        Assert.Equal(before[Failures("redeem")], working[Failures("redeem")]);
        Assert.True(working["consoleproxy_redis_command_duration_seconds_sum{operation=\"redeem\"}"] > 0);
        Assert.Equal(503, status);
        Assert.Equal(working[Calls("redeem")] + 1, down[Calls("redeem")]);
        Assert.Equal(working[Failures("redeem")] + 1, down[Failures("redeem")]);
        Assert.Equal(working["consoleproxy_authorization_failures_total{reason=\"store_unavailable\"}"] + 1, down["consoleproxy_authorization_failures_total{reason=\"store_unavailable\"}"]);
    }

    [Fact]
    public async Task The_missed_revocation_recheck_counts_its_lookups()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis);
        var token = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        // The subscription drops and comes back: the live session's token is looked up again.
        await redis.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
        await Poll.UntilAsync(async () => (await MetricsScrape.TakeAsync(proxy.Port))[Calls("lookup")] > before[Calls("lookup")], "the re-check to look the token up", TimeSpan.FromSeconds(15));
        await proxy.App.RevocationRecheck.Idle;
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(before[Calls("lookup")] + 1, after[Calls("lookup")]);
        Assert.Equal(before[Failures("lookup")], after[Failures("lookup")]);
        Assert.Equal(1, proxy.App.Sessions.Count);
    }

    [Fact]
    public async Task Every_token_store_operation_is_timed_and_its_failures_counted_against_a_real_redis()
    {
        await using var redis = await RedisServer.StartAsync();
        var metrics = new ProxyMetrics(new SessionRegistry(0, TimeProvider.System), string.Empty);
        await using var redisStore = await RedisTokenStore.ConnectAsync(TestProxy.DefaultOptions(redis).ToTokenStoreOptions(), TimeProvider.System, CancellationToken.None);
        var store = new MeasuredTokenStore(redisStore, metrics, TimeProvider.System);
        var hash = TokenHash.Of(AccessToken.Mint());
        var record = new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), DateTimeOffset.UtcNow.AddMinutes(5), TokenFlags.None, "tests/console", "vm-1");

        await store.StoreAsync(hash, record, CancellationToken.None);
        Assert.NotNull((await store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.NotNull((await store.RedeemAsync(hash, CancellationToken.None)).Record);
        Assert.True(await store.RevokeAsync(hash, CancellationToken.None));
        await using (await store.SubscribeRevocationsAsync(_ => ValueTask.CompletedTask, CancellationToken.None))
        {
        }

        Assert.True(await store.PingAsync(CancellationToken.None));
        var working = await ScrapeAsync(metrics);
        await redis.StopAsync();
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.RedeemAsync(hash, CancellationToken.None));
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.StoreAsync(hash, record, CancellationToken.None));
        Assert.False(await store.PingAsync(CancellationToken.None));
        var down = await ScrapeAsync(metrics);

        foreach (var operation in new[] { "store", "lookup", "redeem", "revoke", "subscribe", "ping" })
        {
            Assert.Equal(1, working[Calls(operation)]);
            Assert.Equal(0, working[Failures(operation)]);
        }

        Assert.Equal(2, down[Calls("redeem")]);
        Assert.Equal(1, down[Failures("redeem")]);
        Assert.Equal(1, down[Failures("store")]);
        Assert.Equal(1, down[Failures("ping")]);
        Assert.Equal(0, down[Failures("lookup")]);
    }

    [Fact]
    public async Task Live_sessions_are_labelled_with_the_ConsoleProxy_the_pod_serves()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis, options => options with { Name = "consoles/console" });
        var token = await proxy.MintAsync(target.Target);
        const string Live = "consoleproxy_live_sessions{console_proxy=\"consoles/console\"}";
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        using var second = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 2, "both sessions to start");
        var during = await MetricsScrape.TakeAsync(proxy.Port);
        using (var timeout = new CancellationTokenSource(ProxyClient.Timeout))
        {
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the first session to end");
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(0, before[Live]);
        Assert.Equal(2, during[Live]);
        Assert.Equal(1, after[Live]);
        Assert.Equal(after["consoleproxy_sessions_active"], after[Live]);
        Assert.DoesNotContain("console_proxy=\"\"", during.Text, StringComparison.Ordinal);
    }

    private static async Task<MetricsScrape> ScrapeAsync(ProxyMetrics metrics)
    {
        using var buffer = new MemoryStream();
        await metrics.Collectors.CollectAndExportAsTextAsync(buffer, CancellationToken.None);
        return MetricsScrape.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
