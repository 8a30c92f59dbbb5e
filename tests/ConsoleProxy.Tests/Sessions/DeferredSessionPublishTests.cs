using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using ConsoleProxy.Sessions;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tests.Sessions;

/// <summary>
/// A session no limit counts is published in a deferred batch, and one that ends before the batch costs no Redis
/// command beyond its redemption (counted with the real redis-server's INFO commandstats).
/// </summary>
public sealed class DeferredSessionPublishTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    [Fact]
    public async Task A_session_that_ends_before_the_deferred_batch_runs_one_script_its_redemption()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { InstanceName = "proxy-a", KeyPrefix = _prefix });
        var token = await proxy.MintAsync(target.Target);
        var before = await ScriptsRunAsync();

        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}")))
        {
            await ProxyClient.SendAsync(client, [1, 2, 3]);
            await ProxyClient.ReceiveExactlyAsync(client, 3);
            await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0, "the session to end");

        // Past the batch's moment: a batch that wrongly held the ended session would have published it by now.
        await Task.Delay(SessionPublisher.DeferredPublishDelay + TimeSpan.FromMilliseconds(500));

        // The redemption only: no publish-started and no remove script (before the deferral: three).
        Assert.Equal(1, await ScriptsRunAsync() - before);
        Assert.Empty(await proxy.App.SessionDirectory.ListAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_session_that_outlives_the_deferred_batch_is_published_within_it_and_removed_when_it_ends()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { InstanceName = "proxy-a", KeyPrefix = _prefix });
        var token = await proxy.MintAsync(target.Target);
        var hash = TokenHash.Of(token);
        var directory = proxy.App.SessionDirectory;

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1, 2, 3]);
        await ProxyClient.ReceiveExactlyAsync(client, 3);

        // Well inside the 5 s refresh, so it is the deferred batch that published it.
        await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 1, "the deferred batch to publish the session", SessionPublisher.DeferredPublishDelay + TimeSpan.FromSeconds(3));

        await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Poll.UntilAsync(async () => (await directory.ListAllAsync(CancellationToken.None)).Count == 0, "the ended session to be removed", TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_deferred_batch_due_after_the_proxy_stopped_publishes_nothing_and_throws_nothing()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        var proxy = await TestProxy.StartAsync(redis.Server, options => options with { InstanceName = "proxy-a", KeyPrefix = _prefix }, clock);
        var token = await proxy.MintAsync(target.Target);
        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}")))
        {
            await ProxyClient.SendAsync(client, [1, 2, 3]);
            await ProxyClient.ReceiveExactlyAsync(client, 3);
            await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0, "the session to end");
        await proxy.DisposeAsync();

        // The batch the session scheduled wakes now, its publisher stopped and disposed. It used to wait on its disposed
        // turn and throw (caught, but counted by SessionEndExceptionTests when another proxy's batch woke in its window).
        var thrown = new ConcurrentQueue<string>();
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is ObjectDisposedException { ObjectName: "System.Threading.SemaphoreSlim" } disposed)
            {
                thrown.Enqueue(disposed.ToString());
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            clock.Advance(SessionPublisher.DeferredPublishDelay + TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Empty(thrown);
    }

    /// <summary>How many Lua scripts Redis has run (EVAL and EVALSHA, INFO commandstats).</summary>
    private async Task<long> ScriptsRunAsync()
    {
        var stats = await redis.Server.CommandAsync("INFO", "commandstats") ?? string.Empty;
        return Calls(stats, "cmdstat_eval:") + Calls(stats, "cmdstat_evalsha:");
    }

    private static long Calls(string stats, string prefix)
    {
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line[(prefix.Length + "calls=".Length)..];
        return long.Parse(calls[..calls.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }
}
