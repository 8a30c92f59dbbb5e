using System.Threading.Channels;
using TestKit.Network;
using TestKit.Polling;
using TestKit.Processes;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>Redis going away and coming back; each test owns its server because it stops it.</summary>
public sealed class RedisTokenStoreOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server is not started");

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task While_Redis_is_down_calls_throw_unavailable_and_ping_is_false_then_all_works_again()
    {
        await using var store = await ConnectAsync(Redis.Address);
        var hash = TokenHash.Of(AccessToken.Mint());
        await store.StoreAsync(hash, Record(), CancellationToken.None);

        await Redis.StopAsync();

        await Poll.UntilAsync(async () => !await store.PingAsync(CancellationToken.None), "Redis stops answering", Recovery);
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.GetAsync(hash, CancellationToken.None));
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.RedeemAsync(hash, CancellationToken.None));
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.StoreAsync(hash, Record(), CancellationToken.None));
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.RevokeAsync(hash, CancellationToken.None));

        await Redis.StartAgainAsync();

        await Poll.UntilAsync(() => store.PingAsync(CancellationToken.None), "Redis answers again", Recovery);

        // The restarted server lost its data and its script cache: both must be rebuilt transparently.
        Assert.Null((await store.GetAsync(hash, CancellationToken.None)).Record);
        await store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        Assert.NotNull((await store.RedeemAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await store.RedeemAsync(hash, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task A_subscription_is_renewed_after_Redis_restarts()
    {
        await using var store = await ConnectAsync(Redis.Address);
        var heard = Channel.CreateUnbounded<TokenHash>();
        await using var subscription = await store.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);

        var missed = 0;
        store.RevocationsMayHaveBeenMissed += (_, _) => Interlocked.Increment(ref missed);

        // The baseline is taken once the subscription is seen working: under load the client may have (rightly)
        // raised the event for a subscriber connection that came back before the outage this test makes.
        await HearsARevocationAsync(store, heard.Reader, "the subscription hears a revocation");
        var beforeOutage = Volatile.Read(ref missed);

        await Redis.StopAsync();
        await Poll.UntilAsync(async () => !await store.PingAsync(CancellationToken.None), "Redis stops answering", Recovery);
        Assert.Equal(beforeOutage, Volatile.Read(ref missed));
        await Redis.StartAgainAsync();

        // The subscriber connection may come back a moment after the command connection.
        await HearsARevocationAsync(store, heard.Reader, "the renewed subscription hears a revocation");
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref missed) > beforeOutage), "the missed-revocations event fired", Recovery);
    }

    /// <summary>Publishes from outside (as another pod would) until the store's subscription hears it.</summary>
    private async Task HearsARevocationAsync(RedisTokenStore store, ChannelReader<TokenHash> heard, string what)
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Poll.UntilAsync(
            async () =>
            {
                var receivers = await Redis.CommandAsync("PUBLISH", store.Schema.RevocationChannel, hash.Hex);
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    return receivers == "1" && await heard.ReadAsync(wait.Token) == hash;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }, what, Recovery);
    }

    [Fact]
    public async Task A_store_created_while_Redis_is_down_starts_and_works_once_Redis_is_up()
    {
        await Redis.StopAsync();
        var options = new TokenStoreOptions(Redis.Address) { ConnectTimeout = TimeSpan.FromSeconds(1) };

        await using var store = await RedisTokenStore.ConnectAsync(options, TimeProvider.System, CancellationToken.None);

        Assert.False(await store.PingAsync(CancellationToken.None));
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(
            () => store.GetAsync(TokenHash.Of(AccessToken.Mint()), CancellationToken.None));

        await Redis.StartAgainAsync();

        await Poll.UntilAsync(() => store.PingAsync(CancellationToken.None), "Redis answers again", Recovery);
        var hash = TokenHash.Of(AccessToken.Mint());
        await store.StoreAsync(hash, Record(), CancellationToken.None);
        Assert.NotNull((await store.GetAsync(hash, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task A_subscription_made_while_Redis_is_down_hears_revocations_once_Redis_is_back()
    {
        await using var store = await ConnectAsync(Redis.Address);
        await Redis.StopAsync();
        await Poll.UntilAsync(async () => !await store.PingAsync(CancellationToken.None), "Redis stops answering", Recovery);
        var heard = Channel.CreateUnbounded<TokenHash>();

        // A proxy pod that starts during a Redis outage must not need to retry its subscription.
        await using var subscription = await store.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);

        await Redis.StartAgainAsync();
        await Poll.UntilAsync(() => store.PingAsync(CancellationToken.None), "Redis answers again", Recovery);
        var hash = TokenHash.Of(AccessToken.Mint());
        await Poll.UntilAsync(
            async () => await Redis.CommandAsync("PUBLISH", store.Schema.RevocationChannel, hash.Hex) == "1", "the subscription is registered on the restarted server", Recovery);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Assert.Equal(hash, await heard.Reader.ReadAsync(timeout.Token));
    }

    [Fact]
    public async Task A_subscription_disposed_while_Redis_is_down_stays_silent_after_Redis_returns()
    {
        await using var store = await ConnectAsync(Redis.Address);
        var disposedHeard = Channel.CreateUnbounded<TokenHash>();
        var liveHeard = Channel.CreateUnbounded<TokenHash>();
        var disposed = await store.SubscribeRevocationsAsync(h => disposedHeard.Writer.WriteAsync(h), CancellationToken.None);
        await using var live = await store.SubscribeRevocationsAsync(h => liveHeard.Writer.WriteAsync(h), CancellationToken.None);
        await Redis.StopAsync();
        await Poll.UntilAsync(async () => !await store.PingAsync(CancellationToken.None), "Redis stops answering", Recovery);

        await disposed.DisposeAsync();

        await Redis.StartAgainAsync();
        var hash = TokenHash.Of(AccessToken.Mint());
        await Poll.UntilAsync(
            async () => await Redis.CommandAsync("PUBLISH", store.Schema.RevocationChannel, hash.Hex) == "1", "the subscription is registered on the restarted server", Recovery);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Assert.Equal(hash, await liveHeard.Reader.ReadAsync(timeout.Token));
        Assert.False(disposedHeard.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_times_out_as_unavailable()
    {
        // A listening socket nobody reads from: the connection opens, the handshake never completes.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, FreeTcpPort.Next());
        silent.Start();
        var options = new TokenStoreOptions($"127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}")
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
            OperationTimeout = TimeSpan.FromMilliseconds(500),
        };

        await using var store = await RedisTokenStore.ConnectAsync(options, TimeProvider.System, CancellationToken.None);

        Assert.False(await store.PingAsync(CancellationToken.None));
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(
            () => store.RedeemAsync(TokenHash.Of(AccessToken.Mint()), CancellationToken.None));
    }

    private static TokenRecord Record(TokenFlags flags = TokenFlags.None) =>
        new(new ConsoleTarget("127.0.0.1", 5900), DateTimeOffset.UtcNow.AddMinutes(10), flags);

    private static Task<RedisTokenStore> ConnectAsync(string address) =>
        RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(address, KeyPrefix: $"outage-{Guid.NewGuid():N}:") { ConnectTimeout = TimeSpan.FromSeconds(1) },
            TimeProvider.System,
            CancellationToken.None);
}
