using System.Globalization;
using ConsoleOperator.Testing.Processes;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Metrics;

/// <summary>
/// consoleproxy_redis_failovers_total against real processes: a primary, its replica and a sentinel (Debian's
/// redis-server in sentinel mode) on loopback; SENTINEL FAILOVER promotes the replica and the proxy counts it once.
/// </summary>
public sealed class RedisFailoverMetricsTests
{
    private const string MasterName = "consoles";
    private const string Failovers = "consoleproxy_redis_failovers_total";

    [Fact]
    public async Task A_sentinel_failover_is_counted_once_and_the_token_store_works_on_the_new_primary()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync(extraArguments: ["--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture)]);
        await Poll.UntilAsync(async () => (await ReplicationAsync(replica)).Contains("master_link_status:up", StringComparison.Ordinal), "the replica to sync with the primary", TimeSpan.FromSeconds(30));
        await using var sentinel = await SentinelProcess.StartAsync(MasterName, primary.Port);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(primary, options => options with
        {
            RedisAddress = string.Empty,
            RedisSentinel = sentinel.Address,
            RedisMasterName = MasterName,
        });
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        // A sentinel learns of replicas from the primary's INFO (every 10 s at first): retry until it has one to promote.
        await Poll.UntilAsync(async () => (await sentinel.CliAsync("SENTINEL", "FAILOVER", MasterName)).Output.Trim() == "OK", "the sentinel to start a failover", TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(async () => (await ReplicationAsync(replica)).Contains("role:master", StringComparison.Ordinal), "the replica to be promoted", TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(async () => (await MetricsScrape.TakeAsync(proxy.Port))[Failovers] >= 1, "the proxy to count the failover", TimeSpan.FromSeconds(30));
        var token = await proxy.MintAsync(target.Target);
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(0, before[Failovers]);
        Assert.Equal(1, after[Failovers]);
        Assert.Contains(ConsoleProxy.Tokens.Minting.TokenHash.Of(token).Hex, await replica.CommandAsync("KEYS", "consoleproxy:*") ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>INFO replication; empty while the server drops its clients (a sentinel reconfiguring it does).</summary>
    private static async Task<string> ReplicationAsync(RedisServer server)
    {
        try
        {
            return await server.CommandAsync("INFO", "replication") ?? string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
