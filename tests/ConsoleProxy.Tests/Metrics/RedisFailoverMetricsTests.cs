using TestKit.Processes;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Metrics;

/// <summary>
/// consoleproxy_redis_failovers_total against real processes: a primary, a replica and three sentinels on loopback
/// (the shared <see cref="RedisSentinelSet"/>); the primary is killed, the sentinels promote the replica and the proxy
/// counts the move once.
/// </summary>
public sealed class RedisFailoverMetricsTests
{
    private const string Failovers = "consoleproxy_redis_failovers_total";

    [Fact]
    public async Task A_sentinel_failover_is_counted_once_and_the_token_store_works_on_the_new_primary()
    {
        await using var redis = await RedisSentinelSet.StartAsync();
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(await redis.PrimaryAsync(), options => options with
        {
            RedisAddress = string.Empty,
            RedisSentinel = redis.SentinelAddresses,
            RedisMasterName = redis.MasterName,
        });
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        var old = await redis.KillPrimaryAsync();
        var promoted = await redis.WaitForFailoverAsync(old, TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(async () => (await MetricsScrape.TakeAsync(proxy.Port))[Failovers] >= 1, "the proxy to count the failover", TimeSpan.FromSeconds(30));

        // The client reaches the new primary a moment after it saw the switch (the 18:53 CI run met a 5 s
        // timeout on the first write): minting gets the same 20 s failover bound as the Sentinel store tests.
        string? token = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    token = await proxy.MintAsync(target.Target);
                    return true;
                }
                catch (ConsoleProxy.Tokens.Store.TokenStoreUnavailableException)
                {
                    return false;
                }
            }, "a token minted on the new primary", TimeSpan.FromSeconds(20));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(0, before[Failovers]);
        Assert.Equal(1, after[Failovers]);
        Assert.Contains(ConsoleProxy.Tokens.Minting.TokenHash.Of(token!).Hex, await promoted.CommandAsync("KEYS", "consoleproxy:*") ?? string.Empty, StringComparison.Ordinal);
    }
}
