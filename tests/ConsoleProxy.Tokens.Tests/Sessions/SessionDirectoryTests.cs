using System.Globalization;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Tests.Store;
using TestKit.Time;

namespace ConsoleProxy.Tokens.Tests.Sessions;

public sealed class SessionDirectoryTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private RedisTokenStore? _store;

    private RedisTokenStore Store => _store ?? throw new InvalidOperationException("store not connected");

    private SessionDirectory Directory => new(Store, _clock, TimeSpan.FromSeconds(5));

    public async Task InitializeAsync() =>
        _store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: _prefix), _clock, CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Published_sessions_list_all_by_token_and_by_target_oldest_first()
    {
        var first = TokenHash.Of(AccessToken.Mint());
        var second = TokenHash.Of(AccessToken.Mint());
        var older = Session(first, "proxy-a", 1, "10.0.0.1:5900", startedSecondsAgo: 30);
        var newer = Session(first, "proxy-b", 7, "10.0.0.1:5900", startedSecondsAgo: 10);
        var other = Session(second, "proxy-a", 2, "10.0.0.2:5901", startedSecondsAgo: 20);

        await Directory.PublishAsync([older, other], CancellationToken.None);
        await Directory.PublishAsync([newer], CancellationToken.None);

        Assert.Equal([older, other, newer], await Directory.ListAllAsync(CancellationToken.None));
        Assert.Equal([older, newer], await Directory.ListByTokenAsync(first, CancellationToken.None));
        Assert.Equal([other], await Directory.ListByTokenAsync(second, CancellationToken.None));
        Assert.Equal([older, newer], await Directory.ListByTargetAsync("10.0.0.1:5900", CancellationToken.None));
    }

    [Fact]
    public async Task A_removed_session_is_gone_at_once_and_the_others_stay()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var ending = Session(hash, "proxy-a", 1, "10.0.0.1:5900", startedSecondsAgo: 30);
        var staying = Session(hash, "proxy-a", 2, "10.0.0.1:5900", startedSecondsAgo: 10);
        await Directory.PublishAsync([ending, staying], CancellationToken.None);

        await Directory.RemoveAsync(ending, CancellationToken.None);

        Assert.Equal([staying], await Directory.ListByTokenAsync(hash, CancellationToken.None));
        Assert.Equal([staying], await Directory.ListAllAsync(CancellationToken.None));
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", Directory.SessionKey(ending.Key)));
    }

    [Fact]
    public async Task A_session_not_refreshed_within_the_TTL_stops_counting_and_Redis_expires_its_entry()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var session = Session(hash, "proxy-a", 1, "10.0.0.1:5900", startedSecondsAgo: 1);
        await Directory.PublishAsync([session], CancellationToken.None);

        await AssertExpiresWithinTheTtlAsync(Directory.SessionKey(session.Key));
        await AssertExpiresWithinTheTtlAsync(Directory.TokenIndexKey(hash));

        _clock.Advance(SessionDirectory.TimeToLive - TimeSpan.FromSeconds(1));
        Assert.Single(await Directory.ListAllAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(await Directory.ListAllAsync(CancellationToken.None));
        Assert.Empty(await Directory.ListByTokenAsync(hash, CancellationToken.None));

        // The next publish (of anything) prunes the dead member from the fleet index.
        await Directory.PublishAsync([], CancellationToken.None);
        Assert.Equal("0", await fixture.Redis.CommandAsync("ZCARD", Directory.AllKey));
    }

    [Fact]
    public async Task A_refresh_of_more_sessions_than_one_command_carries_publishes_each_in_every_index_with_the_TTL()
    {
        // Over two chunk boundaries, sessions spread over tokens and targets so each command touches several indexes.
        var tokens = Enumerable.Range(0, 3).Select(_ => TokenHash.Of(AccessToken.Mint())).ToArray();
        var sessions = Enumerable.Range(1, (SessionScripts.RefreshChunk * 2) + 5)
            .Select(id => Session(tokens[id % 3], "proxy-a", id, $"10.0.0.{id % 4}:5900", startedSecondsAgo: 1000 - id))
            .ToList();

        await Directory.PublishAsync(sessions, CancellationToken.None);

        Assert.Equal(sessions, await Directory.ListAllAsync(CancellationToken.None));
        foreach (var token in tokens)
        {
            Assert.Equal(sessions.Where(session => session.TokenHash == token.Hex), await Directory.ListByTokenAsync(token, CancellationToken.None));
        }

        for (var host = 0; host < 4; host++)
        {
            var target = $"10.0.0.{host}:5900";
            Assert.Equal(sessions.Where(session => session.Target == target), await Directory.ListByTargetAsync(target, CancellationToken.None));
            await AssertExpiresWithinTheTtlAsync(Directory.TargetIndexKey(target));
        }

        var last = sessions[^1];
        await AssertExpiresWithinTheTtlAsync(Directory.SessionKey(last.Key));
    }

    [Fact]
    public async Task A_refresh_prunes_the_token_and_target_indexes_it_touches_of_members_whose_time_passed()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var gone = Session(hash, "proxy-b", 1, "10.0.0.1:5900", startedSecondsAgo: 60);
        var live = Session(hash, "proxy-a", 2, "10.0.0.1:5900", startedSecondsAgo: 30);
        await Directory.PublishAsync([gone], CancellationToken.None);

        // proxy-b stops refreshing; proxy-a's next refresh after the TTL takes the dead member out of both indexes.
        _clock.Advance(SessionDirectory.TimeToLive + TimeSpan.FromSeconds(1));
        await Directory.PublishAsync([live], CancellationToken.None);

        Assert.Equal("1", await fixture.Redis.CommandAsync("ZCARD", Directory.TokenIndexKey(hash)));
        Assert.Equal("1", await fixture.Redis.CommandAsync("ZCARD", Directory.TargetIndexKey("10.0.0.1:5900")));
        Assert.Equal([live], await Directory.ListByTokenAsync(hash, CancellationToken.None));
    }

    [Fact]
    public async Task A_started_session_is_published_alone_with_the_TTL_and_counts_in_every_index()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var running = Session(hash, "proxy-a", 1, "10.0.0.1:5900", startedSecondsAgo: 30);
        var started = Session(hash, "proxy-a", 2, "10.0.0.1:5900", startedSecondsAgo: 0);
        await Directory.PublishAsync([running], CancellationToken.None);

        await Directory.PublishStartedAsync(started, CancellationToken.None);

        Assert.Equal([running, started], await Directory.ListAllAsync(CancellationToken.None));
        Assert.Equal([running, started], await Directory.ListByTokenAsync(hash, CancellationToken.None));
        Assert.Equal([running, started], await Directory.ListByTargetAsync("10.0.0.1:5900", CancellationToken.None));
        await AssertExpiresWithinTheTtlAsync(Directory.SessionKey(started.Key));
        await AssertExpiresWithinTheTtlAsync(Directory.TargetIndexKey("10.0.0.1:5900"));
    }

    [Fact]
    public async Task A_takeover_is_found_by_the_owners_next_refresh_once_even_when_nobody_heard_the_message()
    {
        var hash = TokenHash.Of(AccessToken.Mint());
        var owned = Session(hash, "proxy-a", 41, "10.0.0.1:5900", startedSecondsAgo: 30);
        var elsewhere = Session(hash, "proxy-b", 42, "10.0.0.1:5900", startedSecondsAgo: 20);
        await Directory.PublishAsync([owned, elsewhere], CancellationToken.None);

        // No proxy subscribes here: the message reaches nobody, as when the owner's subscription is reconnecting.
        Assert.Equal(0, await Directory.RequestTakeoverAsync(owned, "the token admits 1 concurrent session (max_sessions)", CancellationToken.None));

        Assert.Empty(await Directory.RefreshAsync("proxy-b", [elsewhere], CancellationToken.None));
        Assert.Equal(
            [new TakeoverRequest(41, "the token admits 1 concurrent session (max_sessions)")],
            await Directory.RefreshAsync("proxy-a", [owned], CancellationToken.None));
        Assert.Empty(await Directory.RefreshAsync("proxy-a", [owned], CancellationToken.None));
        var ttl = long.Parse(await fixture.Redis.CommandAsync("PTTL", Directory.TakeoversKey("proxy-a")) ?? "-2", CultureInfo.InvariantCulture);
        Assert.Equal(-2, ttl);
    }

    [Fact]
    public async Task An_unread_takeover_request_expires_with_the_TTL()
    {
        var owned = Session(TokenHash.Of(AccessToken.Mint()), "proxy-a", 7, "10.0.0.1:5900", startedSecondsAgo: 30);

        await Directory.RequestTakeoverAsync(owned, "limit", CancellationToken.None);

        await AssertExpiresWithinTheTtlAsync(Directory.TakeoversKey("proxy-a"));
    }

    [Fact]
    public async Task Neither_keys_nor_values_hold_the_raw_token()
    {
        var raw = AccessToken.Mint();
        var session = Session(TokenHash.Of(raw), "proxy-a", 1, "10.0.0.1:5900", startedSecondsAgo: 1);
        await Directory.PublishAsync([session], CancellationToken.None);

        var keys = await fixture.Redis.CommandAsync("KEYS", _prefix + "*") ?? string.Empty;
        Assert.Contains(Directory.SessionKey(session.Key), keys, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, keys, StringComparison.Ordinal);
        var value = await fixture.Redis.CommandAsync("GET", Directory.SessionKey(session.Key)) ?? string.Empty;
        Assert.Contains(session.TokenHash, value, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_store_is_TokenStoreUnavailable()
    {
        await using var redis = await TestKit.Processes.RedisServer.StartAsync();
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(redis.Address, KeyPrefix: _prefix) { OperationTimeout = TimeSpan.FromSeconds(1) }, TimeProvider.System, CancellationToken.None);
        var directory = new SessionDirectory(store, TimeProvider.System, TimeSpan.FromSeconds(1));
        await redis.StopAsync();

        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => directory.ListAllAsync(CancellationToken.None));
    }

    /// <summary>The key has a TTL, and it is no longer than the directory's.</summary>
    private async Task AssertExpiresWithinTheTtlAsync(string key)
    {
        var ttl = long.Parse(await fixture.Redis.CommandAsync("PTTL", key) ?? "-2", CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, (long)SessionDirectory.TimeToLive.TotalMilliseconds);
    }

    private PublishedSession Session(TokenHash hash, string instance, long id, string target, int startedSecondsAgo) =>
        new(hash.Hex, "tenant-a/console-1", instance, id, "192.0.2.9", "vnc", target, false, _clock.GetUtcNow().AddSeconds(-startedSecondsAgo).ToUniversalTime(), 120, 4096);
}
