using TestKit.Processes;
using System.Diagnostics;
using ConsoleProxy.Tests.Browser;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Sessions;

/// <summary>A `serve` process killed with SIGKILL cleans nothing up: its published sessions must vanish by their TTL.</summary>
public sealed class KilledProxySessionsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_killed_proxy_process_drops_out_of_the_published_sessions_within_the_TTL()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await ConsoleProxyProcess.StartAsync(redis.Server.Address, "--instance-name", "doomed-proxy");
        var minted = await proxy.MintTokenAsync(target.Target.ToString(), TimeSpan.FromMinutes(10));
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(redis.Server.Address), TimeProvider.System, CancellationToken.None);
        var directory = new SessionDirectory(store, TimeProvider.System, TimeSpan.FromSeconds(5));
        using var client = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/websockify?token={minted.Token}"));
        await ProxyClient.SendAsync(client, [4]);
        await ProxyClient.ReceiveExactlyAsync(client, 1);
        await Poll.UntilAsync(async () => (await directory.ListAllAsync(CancellationToken.None)) is [{ ProxyInstance: "doomed-proxy" }], "the session to be published");

        await proxy.KillAsync();
        var sinceKill = Stopwatch.StartNew();

        // Nobody removed it: it is still listed right after the kill, and then expires on its own.
        Assert.Single(await directory.ListByTokenAsync(Tokens.Minting.TokenHash.FromHex(minted.TokenHash)!.Value, CancellationToken.None));
        await Poll.UntilAsync(async () => (await directory.ListAllAsync(CancellationToken.None)).Count == 0, "the killed proxy's session to expire", SessionDirectory.TimeToLive + TimeSpan.FromSeconds(5));
        Assert.InRange(sinceKill.Elapsed, TimeSpan.Zero, SessionDirectory.TimeToLive + TimeSpan.FromSeconds(1));
    }
}
