using TestKit.Processes;
using ConsoleProxy.Tests.Browser;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Sessions;

/// <summary>
/// A proxy instance killed and started again under the same name (a pod restarted in place) while its previous life's
/// sessions are still published: the new life's sessions must not reuse those ids and overwrite their entries.
/// </summary>
public sealed class RestartedProxySessionIdsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_restarted_instance_publishes_new_sessions_beside_its_previous_lifes_not_over_them()
    {
        await using var target = TcpEchoTarget.Start();
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(redis.Server.Address), TimeProvider.System, CancellationToken.None);
        var directory = new SessionDirectory(store, TimeProvider.System, TimeSpan.FromSeconds(5));
        await using var firstLife = await ConsoleProxyProcess.StartAsync(redis.Server.Address, "--instance-name", "reborn-proxy");
        var minted = await firstLife.MintTokenAsync(target.Target.ToString(), TimeSpan.FromMinutes(10));
        var hash = Tokens.Minting.TokenHash.FromHex(minted.TokenHash)!.Value;
        using (var client = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{firstLife.Port}/websockify?token={minted.Token}")))
        {
            await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 1, "the first life's session to be published");
            await firstLife.KillAsync();
        }

        var previous = Assert.Single(await directory.ListByTokenAsync(hash, CancellationToken.None));
        await using var secondLife = await ConsoleProxyProcess.StartAsync(redis.Server.Address, "--instance-name", "reborn-proxy");
        using var again = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{secondLife.Port}/websockify?token={minted.Token}"));
        await ProxyClient.SendAsync(again, [6]);
        await ProxyClient.ReceiveExactlyAsync(again, 1);

        // The previous life's entry may have expired by now on a slow machine (its TTL runs from the kill); the new
        // session's id must differ from it either way.
        await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Any(session => session.StartedAt > previous.StartedAt), "the second life's session to be published");
        var reborn = (await directory.ListByTokenAsync(hash, CancellationToken.None)).Single(session => session.StartedAt > previous.StartedAt);
        Assert.Equal("reborn-proxy", reborn.ProxyInstance);
        Assert.NotEqual(previous.SessionId, reborn.SessionId);
        Assert.NotEqual(previous.Key, reborn.Key);
    }
}
