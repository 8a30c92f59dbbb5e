using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Controllers.Sessions;
using ConsoleOperator.Tests.ConsoleTokens;
using ConsoleProxy.Tokens.Sessions;
using TestKit.Polling;
using TestKit.Processes;

namespace ConsoleOperator.Tests.Sessions;

/// <summary>
/// One sweep loop per ConsoleProxy: beside a ConsoleProxy whose redis-server is frozen (SIGSTOP: its port accepts,
/// nothing answers, so each read waits for the store's 30 s timeout), a live ConsoleProxy's sessions reach its
/// status within the normal bound, while the frozen store's read is still pending; once the frozen server runs again
/// its own proxy's status follows. The loops run on the operator's composition (<see cref="SessionStatusSweeper.RunAsync"/>)
/// with a manual clock, and stop with it.
/// </summary>
public sealed class SessionSweepLoopTests : IAsyncLifetime
{
    private const string FrozenProxy = "frozen";

    private TokenCluster _cluster = null!;
    private RedisServer _frozenRedis = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync(storeTimeout: TimeSpan.FromSeconds(30));
        _frozenRedis = await RedisServer.StartAsync();
        await _cluster.CreateProxyAsync();
        await _cluster.CreateProxyAsync(name: FrozenProxy, redisAddress: _frozenRedis.Address);
        await _cluster.CreateTokenAsync("vm-a");
        await _cluster.ReconcileAsync("vm-a");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _frozenRedis.DisposeAsync();
    }

    [Fact]
    public async Task A_store_that_does_not_answer_delays_only_its_own_proxys_status()
    {
        var sweeper = _cluster.Sweeper;
        await _frozenRedis.FreezeAsync();
        using var stopping = new CancellationTokenSource();
        var running = sweeper.RunAsync(stopping.Token);

        // The first period starts a loop per ConsoleProxy (three timers armed: the loops' matcher and the two loops).
        _cluster.Clock.Advance(sweeper.Period);
        await Poll.UntilAsync(() => _cluster.Clock.ArmedTimers == 3, "a sweep loop runs for each ConsoleProxy");
        // Published now, so they still count (SessionDirectory.TimeToLive) when the loops' first sweep reads them.
        await PublishAsync("vm-a", 2);
        _cluster.Clock.Advance(sweeper.Period);

        // Within the poll's 15 s, well inside the frozen store's 30 s timeout: read at once (not after the frozen one).
        await Poll.UntilAsync(async () => (await GetProxyAsync(TokenCluster.ProxyName)).Status?.ActiveSessions == 2, "the live proxy's sessions reached its status");
        Assert.Equal(2, (await _cluster.GetTokenAsync("vm-a")).Status?.Sessions?.Count);
        // The frozen store's read is still waiting: not counted unreadable yet, and its proxy's status untouched.
        Assert.Equal(0, await _cluster.MetricValueAsync("consoleoperator_session_sweep_stores_unreadable_total"));
        Assert.Null((await GetProxyAsync(FrozenProxy)).Status?.ActiveSessions);

        await _frozenRedis.ThawAsync();
        await Poll.UntilAsync(async () => (await GetProxyAsync(FrozenProxy)).Status?.ActiveSessions == 0, "the thawed store's proxy got its status", TimeSpan.FromSeconds(60));

        await stopping.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _cluster.Clock.ArmedTimers);
    }

    [Fact]
    public async Task Opening_a_store_that_does_not_answer_does_not_hold_up_opening_another()
    {
        await _frozenRedis.FreezeAsync();
        await _cluster.CreateProxyAsync(name: "edge-2");

        // Its connect waits up to the store's 30 s timeout, holding that proxy's opening lock.
        var frozen = _cluster.Stores.GetAsync(await GetProxyAsync(FrozenProxy), CancellationToken.None);
        var opened = await _cluster.Stores.GetAsync(await GetProxyAsync("edge-2"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.False(frozen.IsCompleted, "the frozen store's opening finished first: nothing was shown");
        Assert.Empty(await opened.Sessions.ListAllAsync(CancellationToken.None));
        await _frozenRedis.ThawAsync();
        await frozen.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private Task<Api.Proxies.ConsoleProxyResource> GetProxyAsync(string name) =>
        _cluster.Proxies.InNamespace(TokenCluster.Namespace).GetAsync(name);

    /// <summary>Publishes sessions for a token as one proxy pod would.</summary>
    private async Task PublishAsync(string token, int count)
    {
        var store = await _cluster.Stores.GetAsync(await GetProxyAsync(TokenCluster.ProxyName), CancellationToken.None);
        var hash = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync(token))!, out _)!.Hash;
        var started = _cluster.Clock.GetUtcNow().AddMinutes(-1);
        var sessions = Enumerable.Range(1, count)
            .Select(i => new PublishedSession(
                hash.Hex, $"{TokenCluster.Namespace}/{token}", "proxy-0", i, $"192.0.2.{i}:50000", "vnc", "127.0.0.1:5901", false, started.AddSeconds(i), BytesToTarget: 0, BytesToClient: 0))
            .ToList();
        await store.Sessions.PublishAsync(sessions, CancellationToken.None);
    }
}
