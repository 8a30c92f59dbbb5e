using System.Globalization;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using TestKit.Time;

namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>
/// Why a lookup finds no record: the consumed and revoked markers the scripts keep next to the token
/// hashes, checked against a real redis-server (keys read back with a client independent of the store).
/// </summary>
public sealed class TokenMissReasonTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    // Each test gets its own prefix so tests sharing the server cannot see each other's keys.
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";
    private RedisTokenStore? _store;

    private RedisTokenStore Store => _store ?? throw new InvalidOperationException("store not connected");

    public async Task InitializeAsync() => _store = await ConnectAsync(TimeProvider.System);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_single_use_token_redeemed_again_is_consumed_for_redeem_and_get()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);

        var first = await Store.RedeemAsync(hash, CancellationToken.None);
        var second = await Store.RedeemAsync(hash, CancellationToken.None);
        var looked = await Store.GetAsync(hash, CancellationToken.None);

        Assert.True(first.IsFound);
        Assert.Null(first.MissReason);
        Assert.False(second.IsFound);
        Assert.Equal(TokenMissReason.Consumed, second.MissReason);
        Assert.Equal(TokenMissReason.Consumed, looked.MissReason);
        Assert.Equal("1", await fixture.Redis.CommandAsync("GET", $"{_prefix}consumed:{hash.Hex}"));
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", $"{_prefix}token:{hash.Hex}"));
    }

    [Fact]
    public async Task Of_50_concurrent_redeemers_one_gets_the_record_and_every_other_one_hears_consumed()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        var stores = new List<RedisTokenStore> { Store };
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await ConnectAsync(TimeProvider.System));
        }

        try
        {
            using var start = new ManualResetEventSlim();
            var redeemers = Enumerable.Range(0, 50)
                .Select(i => Task.Run(async () =>
                {
                    start.Wait(TimeSpan.FromSeconds(10));
                    return await stores[i % stores.Count].RedeemAsync(hash, CancellationToken.None);
                }))
                .ToArray();
            start.Set();
            var results = await Task.WhenAll(redeemers);

            // The marker is written in the same atomic step as the delete: no loser sees "unknown".
            Assert.Single(results, result => result.IsFound);
            Assert.Equal(49, results.Count(result => result.MissReason == TokenMissReason.Consumed));
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
    public async Task A_revoked_token_is_revoked_for_redeem_and_get()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(), CancellationToken.None);

        Assert.True(await Store.RevokeAsync(hash, CancellationToken.None));
        var redeemed = await Store.RedeemAsync(hash, CancellationToken.None);
        var looked = await Store.GetAsync(hash, CancellationToken.None);

        Assert.Null(redeemed.Record);
        Assert.Equal(TokenMissReason.Revoked, redeemed.MissReason);
        Assert.Equal(TokenMissReason.Revoked, looked.MissReason);
        Assert.Equal("1", await fixture.Redis.CommandAsync("GET", $"{_prefix}revoked:{hash.Hex}"));
    }

    [Fact]
    public async Task A_never_minted_hash_is_unknown_and_leaves_no_marker()
    {
        var hash = TokenHash.Of(AccessToken.Mint());

        var redeemed = await Store.RedeemAsync(hash, CancellationToken.None);
        var looked = await Store.GetAsync(hash, CancellationToken.None);

        Assert.Null(redeemed.Record);
        Assert.Equal(TokenMissReason.Unknown, redeemed.MissReason);
        Assert.Equal(TokenMissReason.Unknown, looked.MissReason);
        Assert.Equal(string.Empty, await fixture.Redis.CommandAsync("KEYS", $"{_prefix}*"));
    }

    [Fact]
    public async Task Revoking_what_is_not_there_writes_no_marker_and_a_consumed_token_stays_consumed()
    {
        var consumed = TokenHash.Of(AccessToken.Mint());
        var never = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(consumed, Record(TokenFlags.SingleUse), CancellationToken.None);
        Assert.True((await Store.RedeemAsync(consumed, CancellationToken.None)).IsFound);

        Assert.False(await Store.RevokeAsync(consumed, CancellationToken.None));
        Assert.False(await Store.RevokeAsync(never, CancellationToken.None));

        Assert.Equal(TokenMissReason.Consumed, (await Store.RedeemAsync(consumed, CancellationToken.None)).MissReason);
        Assert.Equal(TokenMissReason.Unknown, (await Store.RedeemAsync(never, CancellationToken.None)).MissReason);
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", $"{_prefix}revoked:{consumed.Hex}", $"{_prefix}revoked:{never.Hex}"));
    }

    [Fact]
    public async Task Revoking_a_record_without_an_expiry_writes_no_marker_that_would_live_forever()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await fixture.Redis.CommandAsync("HSET", Store.Schema.KeyFor(hash), "v", "1", "host", "127.0.0.1", "port", "5900", "expires_at", "99999999999999");

        Assert.True(await Store.RevokeAsync(hash, CancellationToken.None));

        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.RevokedKeyFor(hash)));
        Assert.Equal(TokenMissReason.Unknown, (await Store.RedeemAsync(hash, CancellationToken.None)).MissReason);
    }

    [Fact]
    public async Task When_both_markers_exist_revoked_wins()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await fixture.Redis.CommandAsync("SET", Store.Schema.ConsumedKeyFor(hash), "1", "PX", "60000");
        await fixture.Redis.CommandAsync("SET", Store.Schema.RevokedKeyFor(hash), "1", "PX", "60000");

        Assert.Equal(TokenMissReason.Revoked, (await Store.RedeemAsync(hash, CancellationToken.None)).MissReason);
    }

    [Fact]
    public async Task Storing_again_after_a_consume_clears_the_marker_so_the_token_works_and_a_later_miss_is_not_called_consumed()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        Assert.True((await Store.RedeemAsync(hash, CancellationToken.None)).IsFound);

        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);

        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.ConsumedKeyFor(hash)));
        Assert.True((await Store.GetAsync(hash, CancellationToken.None)).IsFound);

        // The record vanishing without a marker (Redis forgetting it, an older writer deleting it)
        // must read as unknown, not as the consume of the record's previous life.
        await fixture.Redis.CommandAsync("DEL", Store.Schema.KeyFor(hash));
        Assert.Equal(TokenMissReason.Unknown, (await Store.RedeemAsync(hash, CancellationToken.None)).MissReason);
    }

    [Fact]
    public async Task Storing_again_after_a_revoke_clears_the_marker_so_the_token_works_and_a_later_consume_is_not_called_revoked()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        Assert.True(await Store.RevokeAsync(hash, CancellationToken.None));

        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        var redeemed = await Store.RedeemAsync(hash, CancellationToken.None);
        var again = await Store.RedeemAsync(hash, CancellationToken.None);

        Assert.True(redeemed.IsFound);

        // A leftover revoked marker would win over the new consumed one.
        Assert.Equal(TokenMissReason.Consumed, again.MissReason);
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.RevokedKeyFor(hash)));
    }

    [Fact]
    public async Task The_consumed_marker_expires_at_the_instant_the_token_would_have()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(120);
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse, expiresAt), CancellationToken.None);
        var tokenTtl = await PttlAsync(Store.Schema.KeyFor(hash));

        Assert.True((await Store.RedeemAsync(hash, CancellationToken.None)).IsFound);
        var markerTtl = await PttlAsync($"{_prefix}consumed:{hash.Hex}");

        Assert.InRange(markerTtl, 110_000, 120_000);
        Assert.InRange(markerTtl, tokenTtl - 2_000, tokenTtl);
    }

    [Fact]
    public async Task The_revoked_marker_expires_at_the_instant_the_token_would_have()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(120);
        await Store.StoreAsync(hash, Record(expiresAt: expiresAt), CancellationToken.None);
        var tokenTtl = await PttlAsync(Store.Schema.KeyFor(hash));

        Assert.True(await Store.RevokeAsync(hash, CancellationToken.None));
        var markerTtl = await PttlAsync($"{_prefix}revoked:{hash.Hex}");

        Assert.InRange(markerTtl, 110_000, 120_000);
        Assert.InRange(markerTtl, tokenTtl - 2_000, tokenTtl);
    }

    [Fact]
    public async Task Once_the_token_would_have_expired_both_markers_are_gone_and_the_miss_is_unknown()
    {
        var consumed = TokenHash.Of(AccessToken.Mint());
        var revoked = TokenHash.Of(AccessToken.Mint());
        var expiresAt = DateTimeOffset.UtcNow.AddMilliseconds(1500);
        await Store.StoreAsync(consumed, Record(TokenFlags.SingleUse, expiresAt), CancellationToken.None);
        await Store.StoreAsync(revoked, Record(expiresAt: expiresAt), CancellationToken.None);
        Assert.True((await Store.RedeemAsync(consumed, CancellationToken.None)).IsFound);
        Assert.True(await Store.RevokeAsync(revoked, CancellationToken.None));
        Assert.Equal(TokenMissReason.Consumed, (await Store.GetAsync(consumed, CancellationToken.None)).MissReason);
        Assert.Equal(TokenMissReason.Revoked, (await Store.GetAsync(revoked, CancellationToken.None)).MissReason);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (await fixture.Redis.CommandAsync("EXISTS", Store.Schema.ConsumedKeyFor(consumed), Store.Schema.RevokedKeyFor(revoked)) != "0")
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the markers outlived their token by 10 s");
            await Task.Delay(50);
        }

        Assert.True(DateTimeOffset.UtcNow >= expiresAt.AddMilliseconds(-50), "a marker expired before its token would have");
        Assert.Equal(TokenMissReason.Unknown, (await Store.RedeemAsync(consumed, CancellationToken.None)).MissReason);
        Assert.Equal(TokenMissReason.Unknown, (await Store.RedeemAsync(revoked, CancellationToken.None)).MissReason);
    }

    [Fact]
    public async Task A_record_of_an_unknown_schema_version_is_neither_consumed_nor_marked()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse), CancellationToken.None);
        await fixture.Redis.CommandAsync("HSET", Store.Schema.KeyFor(hash), "v", "2");

        var redeemed = await Store.RedeemAsync(hash, CancellationToken.None);

        Assert.Equal(TokenMissReason.Unknown, redeemed.MissReason);
        Assert.Equal("1", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.KeyFor(hash)));
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Store.Schema.ConsumedKeyFor(hash)));
    }

    [Fact]
    public async Task A_record_past_expiry_on_the_reader_clock_reads_as_expired_and_is_neither_consumed_nor_marked()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await ConnectAsync(clock);
        var hash = TokenHash.Of(AccessToken.Mint());
        await store.StoreAsync(hash, Record(TokenFlags.SingleUse, clock.GetUtcNow().AddMinutes(5)), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(TokenMissReason.Expired, (await store.RedeemAsync(hash, CancellationToken.None)).MissReason);
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", store.Schema.ConsumedKeyFor(hash)));
    }

    [Fact]
    public async Task An_expiry_written_with_leading_zeros_is_consumed_and_its_marker_still_expires_with_it()
    {
        // The reader accepts leading zeros, PEXPIREAT does not: the script must not fail half-way
        // (token deleted, marker without an expiry) on a record the reader understands.
        var hash = TokenHash.Of(AccessToken.Mint());
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(120);
        await Store.StoreAsync(hash, Record(TokenFlags.SingleUse, expiresAt), CancellationToken.None);
        var padded = "000" + expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await fixture.Redis.CommandAsync("HSET", Store.Schema.KeyFor(hash), "expires_at", padded);

        Assert.True((await Store.RedeemAsync(hash, CancellationToken.None)).IsFound);

        Assert.InRange(await PttlAsync(Store.Schema.ConsumedKeyFor(hash)), 110_000, 120_000);
        Assert.Equal(TokenMissReason.Consumed, (await Store.RedeemAsync(hash, CancellationToken.None)).MissReason);
    }

    [Fact]
    public void The_script_s_latest_expiry_is_the_latest_the_reader_accepts()
    {
        var latest = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

        Assert.Equal(TokenScripts.MaxExpiresAt, latest.ToString(CultureInfo.InvariantCulture));
        Assert.True(TokenKeySchema.TryReadFields(Fields(latest), out _, out _));
        Assert.False(TokenKeySchema.TryReadFields(Fields(latest + 1), out _, out _));
    }

    [Fact]
    public void Marker_keys_sit_under_the_prefix_next_to_the_token_key()
    {
        var schema = new TokenKeySchema("p:");
        var hash = TokenHash.Of(AccessToken.Mint());

        Assert.Equal($"p:consumed:{hash.Hex}", schema.ConsumedKeyFor(hash));
        Assert.Equal($"p:revoked:{hash.Hex}", schema.RevokedKeyFor(hash));
        Assert.Throws<ArgumentException>(() => schema.ConsumedKeyFor(default));
        Assert.Throws<ArgumentException>(() => schema.RevokedKeyFor(default));
    }

    private static Dictionary<string, string> Fields(long expiresAt) => new(StringComparer.Ordinal)
    {
        ["v"] = "1",
        ["host"] = "127.0.0.1",
        ["port"] = "5900",
        ["expires_at"] = expiresAt.ToString(CultureInfo.InvariantCulture),
    };

    private static TokenRecord Record(TokenFlags flags = TokenFlags.None, DateTimeOffset? expiresAt = null) =>
        new(new ConsoleTarget("127.0.0.1", 5900), expiresAt ?? DateTimeOffset.UtcNow.AddMinutes(10), flags);

    private async Task<long> PttlAsync(string key) =>
        long.Parse(await fixture.Redis.CommandAsync("PTTL", key) ?? "-2", CultureInfo.InvariantCulture);

    private Task<RedisTokenStore> ConnectAsync(TimeProvider clock) =>
        RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: _prefix), clock, CancellationToken.None);
}
