using System.Diagnostics;
using System.Net.WebSockets;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using Xunit.Abstractions;

namespace ConsoleProxy.Tests.Sentinel;

/// <summary>
/// The proxy in process with --redis-sentinel/--redis-master-name in front of a real primary, replica and three
/// sentinels, while the primary is killed with SIGKILL; each test owns its deployment.
/// </summary>
public sealed class SentinelFailoverProxyTests(ITestOutputHelper output) : SentinelDeploymentTest
{
    /// <summary>Kill to the first new session served; the figures are in proxy/ConsoleProxy/README.md (Sentinel).</summary>
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_live_session_continues_through_the_failover_and_new_sessions_are_served_again_within_the_bound()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await StartProxyAsync();
        var live = await proxy.MintAsync(target.Target);
        var mintedBefore = await proxy.MintAsync(target.Target);
        await WaitUntilReplicatedAsync();
        using var liveClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={live}"));
        await Echoes(liveClient, 0);

        var clock = Stopwatch.StartNew();
        var old = await Set.KillPrimaryAsync();

        // The live session needs no Redis: it keeps relaying while there is no primary at all.
        byte round = 1;
        using var beforeClient = await UntilAsync(() => TryConnectAsync(proxy.Url($"/websockify?token={mintedBefore}")), liveClient, () => round++, clock);
        var servedBefore = clock.Elapsed;

        // A console opened after the kill needs its token minted, which waits for the new primary.
        var mintedAfter = await UntilAsync(() => TryMintAsync(proxy, target), liveClient, () => round++, clock);
        using var afterClient = await UntilAsync(() => TryConnectAsync(proxy.Url($"/websockify?token={mintedAfter}")), liveClient, () => round++, clock);
        var servedAfter = clock.Elapsed;
        output.WriteLine($"kill to first new session: {servedBefore.TotalSeconds:0.00} s (token minted before the kill), {servedAfter.TotalSeconds:0.00} s (token minted after it); the live session echoed {round} times meanwhile");

        Assert.True(servedBefore < FailoverBound, $"the first new session after the kill took {servedBefore.TotalSeconds:0.0} s, over the {FailoverBound.TotalSeconds:0} s bound");
        Assert.True(servedAfter < FailoverBound, $"the first session on a token minted after the kill took {servedAfter.TotalSeconds:0.0} s, over the {FailoverBound.TotalSeconds:0} s bound");
        await Set.WaitForFailoverAsync(old, Settle);
        await Echoes(beforeClient, 200);
        await Echoes(afterClient, 201);
        await Echoes(liveClient, 202);
    }

    [Fact]
    public async Task A_revocation_made_during_the_failover_closes_the_session_and_later_ones_arrive_by_subscription()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await StartProxyAsync();
        var during = await proxy.MintAsync(target.Target);
        var kept = await proxy.MintAsync(target.Target);
        var after = await proxy.MintAsync(target.Target);
        await WaitUntilReplicatedAsync();
        using var duringClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={during}"));
        using var keptClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={kept}"));
        using var afterClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={after}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 3, "the sessions to start");

        // The operator (its own client, through the same sentinels) revokes while the primary is gone: it retries
        // until the new primary takes the write, and the proxy hears it by subscription or finds it by its re-check.
        await using var operatorStore = await RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(string.Empty, Password) { Sentinel = new SentinelOptions(Set.Sentinels.Select(s => s.Address).ToList(), Set.MasterName) },
            TimeProvider.System,
            CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var old = await Set.KillPrimaryAsync();
        while (true)
        {
            try
            {
                Assert.True(await operatorStore.RevokeAsync(TokenHash.Of(during), CancellationToken.None));
                break;
            }
            catch (TokenStoreUnavailableException) when (clock.Elapsed < Settle)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
        }

        var revoked = clock.Elapsed;
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(duringClient, Settle);
        output.WriteLine($"kill to revocation accepted: {revoked.TotalSeconds:0.00} s; to the session closed: {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(4001, code);
        Assert.Equal("token revoked", reason);
        Assert.True(clock.Elapsed < FailoverBound, $"the session revoked during the failover closed {clock.Elapsed.TotalSeconds:0.0} s after the kill, over the {FailoverBound.TotalSeconds:0} s bound");
        await Echoes(keptClient, 1);

        // After the failover the subscription is on the new primary (or a replica of it): a revocation reaches it.
        await Set.WaitForFailoverAsync(old, Settle);
        Assert.True(await operatorStore.RevokeAsync(TokenHash.Of(after), CancellationToken.None));
        (code, reason) = await ProxyClient.ReceiveCloseAsync(afterClient, TimeSpan.FromSeconds(10));
        Assert.Equal(4001, code);
        Assert.Equal("token revoked", reason);
        await Echoes(keptClient, 2);
    }

    private Task<TestProxy> StartProxyAsync() =>
        TestProxy.StartAsync(Set.Servers[0], options => options with
        {
            RedisAddress = string.Empty,
            RedisSentinel = Set.SentinelAddresses,
            RedisMasterName = Set.MasterName,
            RedisPassword = Password,
        });

    private async Task WaitUntilReplicatedAsync()
    {
        var primary = await Set.PrimaryAsync();
        Assert.Equal("1", await primary.CommandAsync("WAIT", "1", "5000"));
    }

    private static async Task Echoes(WebSocket client, byte value)
    {
        await ProxyClient.SendAsync(client, [value]);
        Assert.Equal(new[] { value }, await ProxyClient.ReceiveExactlyAsync(client, 1));
    }

    /// <summary>Tries <paramref name="attempt"/> until it gives a value, checking between tries that the live session still relays.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T?>> attempt, WebSocket live, Func<byte> nextRound, Stopwatch clock)
        where T : class
    {
        while (true)
        {
            await Echoes(live, nextRound());
            if (await attempt() is { } value)
            {
                return value;
            }

            Assert.True(clock.Elapsed < FailoverBound + Settle, $"still failing {clock.Elapsed.TotalSeconds:0} s after the kill");
        }
    }

    private static async Task<string?> TryMintAsync(TestProxy proxy, TcpEchoTarget target)
    {
        try
        {
            return await proxy.MintAsync(target.Target);
        }
        catch (TokenStoreUnavailableException)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            return null;
        }
    }

    /// <summary>A connected client, or null after a short pause when the proxy refused (503 while there is no primary).</summary>
    private static async Task<ClientWebSocket?> TryConnectAsync(Uri uri)
    {
        try
        {
            return await ProxyClient.ConnectAsync(uri);
        }
        catch (WebSocketException)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            return null;
        }
    }
}
