using System.Threading.Channels;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>
/// A proxy subscribes to revocations right after it connects. StackExchange.Redis 1.2.6 sometimes
/// reported such a subscription as made while the server never registered it (about once in 150
/// fresh connections), and the store used to confirm each one with a probe; the current client
/// completes SUBSCRIBE only once the server confirmed it, which these tests hold it to.
/// </summary>
public sealed class RevocationSubscriptionStartTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task Every_subscription_made_right_after_connecting_hears_its_revocations()
    {
        var prefix = $"start-{Guid.NewGuid():N}:";
        for (var connection = 0; connection < 60; connection++)
        {
            await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: prefix), TimeProvider.System, CancellationToken.None);
            var heard = Channel.CreateUnbounded<TokenHash>();
            await using var subscription = await store.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);
            var hash = TokenHash.Of(AccessToken.Mint());

            await store.RevokeAsync(hash, CancellationToken.None);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            Assert.Equal(hash, await heard.Reader.ReadAsync(timeout.Token));
        }
    }

    [Fact]
    public async Task Probes_from_old_proxies_never_reach_the_handler()
    {
        var prefix = $"probe-{Guid.NewGuid():N}:";
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: prefix), TimeProvider.System, CancellationToken.None);
        var heard = Channel.CreateUnbounded<TokenHash>();
        await using var first = await store.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);

        // Proxies on the old client still publish probes on the channel during a rolling upgrade: ignored.
        await using var second = await store.SubscribeRevocationsAsync(_ => ValueTask.CompletedTask, CancellationToken.None);
        await fixture.Redis.CommandAsync("PUBLISH", store.Schema.RevocationChannel, "probe:someone-elses");
        var hash = TokenHash.Of(AccessToken.Mint());
        await store.RevokeAsync(hash, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(hash, await heard.Reader.ReadAsync(timeout.Token));
        Assert.False(heard.Reader.TryRead(out _));
    }
}
