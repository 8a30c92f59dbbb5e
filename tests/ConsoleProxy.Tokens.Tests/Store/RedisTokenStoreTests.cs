using System.Globalization;
using System.Threading.Channels;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using TestKit.Time;

namespace ConsoleProxy.Tokens.Tests.Store;

public sealed class RedisTokenStoreTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    // Each test gets its own prefix so tests sharing the server cannot see each other's keys.
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";
    private RedisTokenStore? _store;

    private RedisTokenStore Store => _store ?? throw new InvalidOperationException("store not connected");

    public async Task InitializeAsync() => _store = await ConnectAsync(_prefix, TimeProvider.System);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stored_token_reads_back_with_IPv6_target_owner_instance_and_flags()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(10);
        var record = new TokenRecord(
            ConsoleTarget.Parse("[2001:db8::5]:5901"),
            expiresAt,
            TokenFlags.SingleUse | TokenFlags.ViewOnly,
            "tenant-a/console-1",
            "9b2f1c1e-0c55-4ea4-8a1b-0d8e7c2f4d10");

        await Store.StoreAsync(hash, record, CancellationToken.None);
        var read = (await Store.GetAsync(hash, CancellationToken.None)).Record;

        Assert.NotNull(read);
        Assert.Equal("2001:db8::5", read.Target.Host);
        Assert.Equal(5901, read.Target.Port);
        Assert.Equal(TokenFlags.SingleUse | TokenFlags.ViewOnly, read.Flags);
        Assert.Equal("tenant-a/console-1", read.Owner);
        Assert.Equal("9b2f1c1e-0c55-4ea4-8a1b-0d8e7c2f4d10", read.Instance);
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds(), read.ExpiresAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_serial_token_redeems_as_serial_through_Redis()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse) with { Kind = ConsoleKind.Serial }, CancellationToken.None);

        var redeemed = (await Store.RedeemAsync(hash, CancellationToken.None)).Record;

        Assert.NotNull(redeemed);
        Assert.Equal(ConsoleKind.Serial, redeemed.Kind);
    }

    [Fact]
    public async Task Get_does_not_consume_a_single_use_token()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);

        Assert.NotNull((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.NotNull((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.NotNull((await Store.RedeemAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task Redis_holds_a_hash_under_the_hashed_key_without_the_raw_token_and_expiring_at_the_token_expiry()
    {
        var token = AccessToken.Mint();
        var hash = TokenHash.Of(token);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(120);
        await Store.StoreAsync(hash, Record(TokenFlags.ViewOnly, expiresAt, "ns/name"), CancellationToken.None);
        var redis = fixture.Redis;
        var key = $"{_prefix}token:{hash.Hex}";

        Assert.Equal("hash", await redis.CommandAsync("TYPE", key));
        var fields = ToDictionary(await redis.CommandAsync("HGETALL", key));
        Assert.Equal("1", fields["v"]);
        Assert.Equal("127.0.0.1", fields["host"]);
        Assert.Equal("5900", fields["port"]);
        Assert.Equal("ns/name", fields["owner"]);
        Assert.Equal(string.Empty, fields["instance"]);
        Assert.Equal("0", fields["single_use"]);
        Assert.Equal("1", fields["view_only"]);
        Assert.Equal(expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), fields["expires_at"]);
        Assert.DoesNotContain(fields, field => field.Key.Contains(token, StringComparison.Ordinal) || field.Value.Contains(token, StringComparison.Ordinal));
        var keys = await redis.CommandAsync("KEYS", $"{_prefix}*");
        Assert.Equal(key, keys);

        var ttl = long.Parse(await redis.CommandAsync("PTTL", key) ?? "-2", CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 110_000, 120_000);
    }

    [Fact]
    public async Task Token_is_gone_from_Redis_after_its_expiry()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(expiresAt: DateTimeOffset.UtcNow.AddSeconds(1)), CancellationToken.None);
        Assert.NotNull((await Store.GetAsync(hash, CancellationToken.None)).Record);

        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.KeyFor(hash)));
    }

    [Fact]
    public async Task A_record_past_expiry_by_the_reader_clock_is_expired_and_not_consumed()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await ConnectAsync(_prefix, clock);
        var hash = TokenHash.Of(AccessToken.Mint());
        await store.StoreAsync(hash, Record(TokenFlags.SingleUse, clock.GetUtcNow().AddMinutes(5)), CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TokenLookup.Expired, await store.GetAsync(hash, CancellationToken.None));
        Assert.Equal(TokenLookup.Expired, await store.RedeemAsync(hash, CancellationToken.None));
        Assert.Equal("1", await fixture.Redis.CommandAsync("EXISTS", store.Schema.KeyFor(hash)));
    }

    [Fact]
    public async Task Store_refuses_an_expiry_that_is_not_in_the_future()
    {
        var hash = TokenHash.Of(AccessToken.Mint());

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => Store.StoreAsync(hash, Record(expiresAt: DateTimeOffset.UtcNow.AddSeconds(-1)), CancellationToken.None));

        Assert.Contains("not in the future", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.KeyFor(hash)));
    }

    [Fact]
    public async Task Storing_again_replaces_the_whole_record()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse | TokenFlags.ViewOnly, owner: "a/b"), CancellationToken.None);

        await Store.StoreAsync(hash, Record(TokenFlags.None), CancellationToken.None);

        var read = (await Store.GetAsync(hash, CancellationToken.None)).Record;
        Assert.NotNull(read);
        Assert.Equal(TokenFlags.None, read.Flags);
        Assert.Equal(string.Empty, read.Owner);
    }

    [Fact]
    public async Task Single_use_token_has_exactly_one_winner_among_50_concurrent_redeemers()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);

        // Several stores, as several proxy pods would have, each with its own connection.
        var stores = new List<RedisTokenStore> { Store };
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await ConnectAsync(_prefix, TimeProvider.System));
        }

        try
        {
            using var start = new ManualResetEventSlim();
            var redeemers = Enumerable.Range(0, 50)
                .Select(i => Task.Run(async () =>
                {
                    start.Wait(TimeSpan.FromSeconds(10));
                    return (await stores[i % stores.Count].RedeemAsync(hash, CancellationToken.None)).Record;
                }))
                .ToArray();
            start.Set();
            var results = await Task.WhenAll(redeemers);

            Assert.Single(results, result => result is not null);
            Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
        }
        finally
        {
            foreach (var extra in stores.Skip(1))
            {
                await extra.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Reusable_token_redeems_many_times()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.ViewOnly), CancellationToken.None);

        for (var i = 0; i < 20; i++)
        {
            var record = (await Store.RedeemAsync(hash, CancellationToken.None)).Record;
            Assert.NotNull(record);
            Assert.True(record.IsViewOnly);
        }
    }

    [Fact]
    public async Task Unknown_token_redeems_to_null()
    {
        Assert.Null((await Store.RedeemAsync(TokenHash.Of(AccessToken.Mint()), CancellationToken.None)).Record);
        Assert.Null((await Store.GetAsync(TokenHash.Of(AccessToken.Mint()), CancellationToken.None)).Record);
    }

    [Fact]
    public async Task Revoke_deletes_the_token_and_a_subscriber_hears_it_within_2_seconds()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(), CancellationToken.None);
        await using var listener = await ConnectAsync(_prefix, TimeProvider.System);
        var heard = Channel.CreateUnbounded<TokenHash>();
        await using var subscription = await listener.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);

        Assert.True(await Store.RevokeAsync(hash, CancellationToken.None));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Assert.Equal(hash, await heard.Reader.ReadAsync(timeout.Token));
        Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await Store.RedeemAsync(hash, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_returns_false_and_still_publishes()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var heard = Channel.CreateUnbounded<TokenHash>();
        await using var subscription = await Store.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);

        Assert.False(await Store.RevokeAsync(hash, CancellationToken.None));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(hash, await heard.Reader.ReadAsync(timeout.Token));
    }

    [Fact]
    public async Task Subscriber_ignores_malformed_messages_and_keeps_listening()
    {
        var heard = Channel.CreateUnbounded<TokenHash>();
        await using var subscription = await Store.SubscribeRevocationsAsync(h => heard.Writer.WriteAsync(h), CancellationToken.None);
        var channel = Store.Schema.RevocationChannel;
        var hash = TokenHash.Of(AccessToken.Mint());

        await fixture.Redis.CommandAsync("PUBLISH", channel, "not a hash");
        await fixture.Redis.CommandAsync("PUBLISH", channel, hash.Hex.ToUpperInvariant());
        await fixture.Redis.CommandAsync("PUBLISH", channel, hash.Hex);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(hash, await heard.Reader.ReadAsync(timeout.Token));
        Assert.False(heard.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_later_revocations()
    {
        var heard = Channel.CreateUnbounded<TokenHash>();
        var calls = 0;
        await using var subscription = await Store.SubscribeRevocationsAsync(
            async h =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("handler failure");
                }

                await heard.Writer.WriteAsync(h);
            },
            CancellationToken.None);
        var first = TokenHash.Of(AccessToken.Mint());
        var second = TokenHash.Of(AccessToken.Mint());

        await Store.RevokeAsync(first, CancellationToken.None);
        await Store.RevokeAsync(second, CancellationToken.None);

        // The client may hand the two messages over in either order: whichever came second must still arrive.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Contains(await heard.Reader.ReadAsync(timeout.Token), new[] { first, second });
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task A_disposed_subscription_hears_nothing_while_another_on_the_same_store_still_does()
    {
        var disposedHeard = Channel.CreateUnbounded<TokenHash>();
        var liveHeard = Channel.CreateUnbounded<TokenHash>();
        var disposed = await Store.SubscribeRevocationsAsync(h => disposedHeard.Writer.WriteAsync(h), CancellationToken.None);
        await using var live = await Store.SubscribeRevocationsAsync(h => liveHeard.Writer.WriteAsync(h), CancellationToken.None);
        await disposed.DisposeAsync();
        var hash = TokenHash.Of(AccessToken.Mint());

        await Store.RevokeAsync(hash, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(hash, await liveHeard.Reader.ReadAsync(timeout.Token));
        Assert.False(disposedHeard.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Stores_with_different_key_prefixes_on_one_Redis_do_not_see_each_other()
    {
        await using var other = await ConnectAsync($"other-{Guid.NewGuid():N}:", TimeProvider.System);
        var hash = TokenHash.Of(AccessToken.Mint());
        var otherHeard = Channel.CreateUnbounded<TokenHash>();
        await using var subscription = await other.SubscribeRevocationsAsync(h => otherHeard.Writer.WriteAsync(h), CancellationToken.None);

        await Store.StoreAsync(hash, Record(), CancellationToken.None);

        Assert.Null((await other.GetAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await other.RedeemAsync(hash, CancellationToken.None)).Record);
        Assert.False(await other.RevokeAsync(hash, CancellationToken.None));
        Assert.NotNull((await Store.GetAsync(hash, CancellationToken.None)).Record);

        // The other store's own revocation reached its subscriber; ours must not.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(hash, await otherHeard.Reader.ReadAsync(timeout.Token));
        await Store.RevokeAsync(hash, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(otherHeard.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_record_with_an_unknown_schema_version_is_ignored_and_not_consumed()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        var key = Store.Schema.KeyFor(hash);
        await fixture.Redis.CommandAsync("HSET", key, "v", "2");

        Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await Store.RedeemAsync(hash, CancellationToken.None)).Record);
        Assert.Equal("1", await fixture.Redis.CommandAsync("EXISTS", key));
    }

    [Theory]
    [InlineData("port", "not-a-port")]
    [InlineData("port", "70000")]
    [InlineData("host", "")]
    [InlineData("expires_at", "soon")]
    [InlineData("single_use", "yes")]
    public async Task A_damaged_record_authorizes_nothing(string field, string value)
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(), CancellationToken.None);
        await fixture.Redis.CommandAsync("HSET", Store.Schema.KeyFor(hash), field, value);

        Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await Store.RedeemAsync(hash, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task A_key_of_another_type_under_the_token_name_authorizes_nothing()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await fixture.Redis.CommandAsync("SET", Store.Schema.KeyFor(hash), "127.0.0.1:5900");

        Assert.Null((await Store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.Null((await Store.RedeemAsync(hash, CancellationToken.None)).Record);
    }

    [Fact]
    public async Task Ping_is_true_while_Redis_answers()
    {
        Assert.True(await Store.PingAsync(CancellationToken.None));
        Assert.True(Store.IsConnected);
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.GetAsync(TokenHash.Of(AccessToken.Mint()), cancelled.Token));
    }

    [Fact]
    public async Task Disposing_a_subscription_after_its_store_and_the_store_twice_is_harmless()
    {
        var store = await ConnectAsync(_prefix, TimeProvider.System);
        var subscription = await store.SubscribeRevocationsAsync(_ => ValueTask.CompletedTask, CancellationToken.None);

        await store.DisposeAsync();
        await store.DisposeAsync();
        await subscription.DisposeAsync();

        Assert.False(store.IsConnected);
    }

    [Fact]
    public async Task A_DNS_name_in_the_address_connects()
    {
        var options = new TokenStoreOptions($"localhost:{fixture.Redis.Port}", KeyPrefix: _prefix);

        await using var store = await RedisTokenStore.ConnectAsync(options, TimeProvider.System, CancellationToken.None);

        Assert.True(await store.PingAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1", "no port")]
    [InlineData("::1:6379", "[ADDRESS]:PORT")]
    [InlineData("127.0.0.1:0", "expected 1-65535")]
    public async Task A_malformed_address_is_refused_with_the_reason(string address, string reason)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => RedisTokenStore.ConnectAsync(new TokenStoreOptions(address), TimeProvider.System, CancellationToken.None));

        Assert.Contains("token store address", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static TokenRecord Record(TokenFlags flags = TokenFlags.None, DateTimeOffset? expiresAt = null, string owner = "") =>
        new(new ConsoleTarget("127.0.0.1", 5900), expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(10), flags, owner);

    private static Dictionary<string, string> ToDictionary(string? hgetall)
    {
        var items = (hgetall ?? string.Empty).Split('\n');
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            fields[items[i]] = items[i + 1];
        }

        return fields;
    }

    private Task<RedisTokenStore> ConnectAsync(string prefix, TimeProvider clock) =>
        RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: prefix), clock, CancellationToken.None);
}
