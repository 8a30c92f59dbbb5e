using System.Globalization;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Controllers.Sessions;
using ConsoleOperator.Tests.ConsoleTokens;
using ConsoleProxy.Tokens.Sessions;

namespace ConsoleOperator.Tests.Sessions;

/// <summary>
/// The session sweep's bound, counted: with a real redis-server holding sessions published by the proxies' own code
/// (<see cref="SessionDirectory.PublishAsync"/>), one sweep reads each ConsoleProxy's store once however many tokens
/// it has (Redis's own command statistics), writes each changed ConsoleToken's status once and an unchanged one never,
/// and a second sweep with nothing changed writes nothing.
/// </summary>
public sealed class SessionSweepTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        await _cluster.CreateProxyAsync();
        foreach (var name in new[] { "vm-a", "vm-b", "vm-c", "vm-idle" })
        {
            await _cluster.CreateTokenAsync(name);
            await _cluster.ReconcileAsync(name);
        }
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task One_store_read_per_proxy_one_write_per_changed_token_and_none_when_nothing_changed()
    {
        var first = await _cluster.Sweeper.SweepAsync(CancellationToken.None);
        // Nobody connected yet: no token status to write; the proxy's activeSessions (0) once.
        Assert.Equal(new SessionSweepResult(1, 0, 0, 1, 0), first);
        Assert.Null((await _cluster.GetTokenAsync("vm-a")).Status?.Sessions);

        var sessions = await PublishAsync(("vm-a", 2, false), ("vm-b", 1, true), ("vm-c", 25, false));
        await _cluster.Redis.CommandAsync("CONFIG", "RESETSTAT");

        var second = await _cluster.Sweeper.SweepAsync(CancellationToken.None);

        Assert.Equal(new SessionSweepResult(1, 0, 3, 1, 28), second);
        var stats = await _cluster.Redis.CommandAsync("INFO", "commandstats") ?? string.Empty;
        Assert.Equal(1, Calls(stats, "zrangebyscore") + Calls(stats, "zrange"));
        Assert.Equal(1, Calls(stats, "mget"));

        var a = await _cluster.GetTokenAsync("vm-a");
        Assert.Equal(ConsoleTokenPhase.Active, a.Status?.Phase);
        Assert.Equal(2, a.Status?.Sessions?.Count);
        Assert.Equal(["proxy-0", "proxy-0"], a.Status!.Sessions!.Current!.Select(session => session.Pod));
        Assert.Equal(SessionStatus.Seconds(sessions.Where(session => session.Owner.EndsWith("/vm-a", StringComparison.Ordinal)).Max(session => session.StartedAt)), a.Status.LastConnectedAt);
        var b = await _cluster.GetTokenAsync("vm-b");
        Assert.True(b.Status?.Sessions?.Current?.Single().ViewOnly);
        var c = await _cluster.GetTokenAsync("vm-c");
        Assert.Equal(25, c.Status?.Sessions?.Count);
        Assert.Equal(ConsoleTokenSessions.MaxListed, c.Status?.Sessions?.Current?.Count);
        Assert.Null((await _cluster.GetTokenAsync("vm-idle")).Status?.Sessions);
        Assert.Equal(28, (await _cluster.Proxies.InNamespace(TokenCluster.Namespace).GetAsync(TokenCluster.ProxyName)).Status?.ActiveSessions);
        // The metrics say the same: the sessions seen, and every write counted by kind.
        Assert.Equal(28, await _cluster.MetricValueAsync("consoleoperator_sessions"));
        Assert.Equal(3, await _cluster.MetricValueAsync("consoleoperator_session_status_writes_total{kind=\"ConsoleToken\"}"));
        Assert.Equal(2, await _cluster.MetricValueAsync("consoleoperator_session_status_writes_total{kind=\"ConsoleProxy\"}"));

        // The same sessions (only their byte counts moved): nothing to write.
        await PublishAsync(("vm-a", 2, false), ("vm-b", 1, true), ("vm-c", 25, false));
        await WaitForCachesAsync();
        Assert.Equal(new SessionSweepResult(1, 0, 0, 0, 28), await _cluster.Sweeper.SweepAsync(CancellationToken.None));
    }

    /// <summary>Publishes sessions for tokens as one proxy pod would, each started one second after the one before.</summary>
    private async Task<List<PublishedSession>> PublishAsync(params (string Token, int Sessions, bool ViewOnly)[] tokens)
    {
        var store = await _cluster.Stores.GetAsync(await _cluster.Proxies.InNamespace(TokenCluster.Namespace).GetAsync(TokenCluster.ProxyName), CancellationToken.None);
        var sessions = new List<PublishedSession>();
        var started = _cluster.Clock.GetUtcNow().AddMinutes(-1);
        foreach (var (token, count, viewOnly) in tokens)
        {
            var hash = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync(token))!, out _)!.Hash;
            for (var i = 0; i < count; i++)
            {
                sessions.Add(new PublishedSession(
                    hash.Hex, $"{TokenCluster.Namespace}/{token}", "proxy-0", sessions.Count + 1, $"192.0.2.{sessions.Count + 1}:50000", "vnc", "127.0.0.1:5901",
                    viewOnly, started.AddSeconds(sessions.Count), BytesToTarget: 10 * i, BytesToClient: 1000 * i + _cluster.Clock.GetUtcNow().Second));
            }
        }

        await store.Sessions.PublishAsync(sessions, CancellationToken.None);
        return sessions;
    }

    /// <summary>The sweep reads the informer caches: let them see its own last writes first.</summary>
    private async Task WaitForCachesAsync()
    {
        foreach (var name in new[] { "vm-a", "vm-b", "vm-c", "vm-idle" })
        {
            await _cluster.CatchUpAsync(name);
        }
    }

    private static long Calls(string commandStats, string command)
    {
        var line = commandStats.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line.Split(':', 2)[1].Split(',').First(field => field.StartsWith("calls=", StringComparison.Ordinal));
        return long.Parse(calls["calls=".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
