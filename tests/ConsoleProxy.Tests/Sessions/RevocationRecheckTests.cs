using ConsoleProxy.Sessions;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Sessions;

public sealed class RevocationRecheckTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task When_the_subscription_comes_back_sessions_whose_token_vanished_meanwhile_close_with_4001_and_the_others_stay()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var missed = await proxy.MintAsync(target.Target);
        var kept = await proxy.MintAsync(target.Target);
        var singleUse = await proxy.MintAsync(target.Target, flags: TokenFlags.SingleUse);
        using var missedClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={missed}"));
        using var keptClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={kept}"));
        using var singleUseClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={singleUse}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 3, "the sessions to start");

        // A revocation published while the subscription was down: the key is gone, the message never came.
        await redis.Server.CommandAsync("DEL", proxy.App.Store is RedisTokenStore store ? store.Schema.KeyFor(TokenHash.Of(missed)) : throw new InvalidOperationException());
        await redis.Server.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(missedClient, TimeSpan.FromSeconds(15));
        await proxy.App.RevocationRecheck.Idle;

        Assert.Equal(4001, code);
        Assert.Equal("token revoked", reason);
        await ProxyClient.SendAsync(keptClient, [1]);
        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(keptClient, 1));
        await ProxyClient.SendAsync(singleUseClient, [2]);
        Assert.Equal(new byte[] { 2 }, await ProxyClient.ReceiveExactlyAsync(singleUseClient, 1));
        Assert.Contains("re-checked 2 live token(s), 1 gone, 1 session(s) closed", proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revocation_the_subscription_never_heard_closes_the_session_at_the_next_periodic_recheck()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { RecheckInterval = TimeSpan.FromMinutes(1) }, clock);
        var missed = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        var kept = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        using var missedClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={missed}"));
        using var keptClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={kept}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 2, "the sessions to start");

        // Revoked where this pod's subscription did not hear it (a Redis demoted mid-failover): the key and the
        // marker are there, no message came, and the subscription never dropped.
        var schema = proxy.App.Store is RedisTokenStore store ? store.Schema : throw new InvalidOperationException();
        await redis.Server.CommandAsync("DEL", schema.KeyFor(TokenHash.Of(missed)));
        await redis.Server.CommandAsync("SET", schema.RevokedKeyFor(TokenHash.Of(missed)), "1", "PX", "3600000");
        clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(300);
        var before = proxy.App.Sessions.Count;
        clock.Advance(TimeSpan.FromSeconds(1));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(missedClient, TimeSpan.FromSeconds(15));

        Assert.Equal(2, before);
        Assert.Equal((4001, "token revoked"), (code, reason));
        await ProxyClient.SendAsync(keptClient, [1]);
        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(keptClient, 1));
        await Poll.UntilAsync(() => proxy.Logs.All.Contains("Periodic re-check of 2 live token(s) closed 1 session(s)", StringComparison.Ordinal), "the periodic pass to log");
    }

    [Fact]
    public async Task A_token_marked_revoked_closes_at_once_even_while_every_live_token_is_missing()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, timeProvider: clock);
        var marked = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        var missing = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        using var markedClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={marked}"));
        using var missingClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={missing}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 2, "the sessions to start");
        var schema = proxy.App.Store is RedisTokenStore store ? store.Schema : throw new InvalidOperationException();

        // Both keys gone while the subscription was down, one of them with the marker a revocation leaves.
        await redis.Server.CommandAsync("DEL", schema.KeyFor(TokenHash.Of(marked)), schema.KeyFor(TokenHash.Of(missing)));
        await redis.Server.CommandAsync("SET", schema.RevokedKeyFor(TokenHash.Of(marked)), "1", "PX", "3600000");
        await redis.Server.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(markedClient, TimeSpan.FromSeconds(15));

        // No retry delay has passed on the clock: the marker alone closed it.
        Assert.Equal(4001, code);
        Assert.Equal("token revoked", reason);
        // The pass logs after closing: wait for its line rather than race it.
        await Poll.UntilAsync(() => proxy.Logs.All.Contains("closed 1 session(s) of the 1 token(s) marked as revoked", StringComparison.Ordinal), "the re-check to log the closed session");
        await ProxyClient.SendAsync(missingClient, [1]);
        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(missingClient, 1));
    }

    [Fact]
    public async Task A_store_that_lost_every_token_is_not_taken_for_a_mass_revocation_and_after_the_rebuild_only_the_still_missing_token_closes()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, timeProvider: clock);
        var rebuilt = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        var revoked = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(2));
        using var rebuiltClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={rebuilt}"));
        using var revokedClient = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={revoked}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 2, "the sessions to start");
        var record = (await proxy.App.Store.GetAsync(TokenHash.Of(rebuilt), CancellationToken.None)).Record;

        // Redis lost its data (restart without persistence): every live token is missing at once.
        await redis.Server.CommandAsync("FLUSHALL");
        await redis.Server.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub");
        await Poll.UntilAsync(() => proxy.Logs.All.Contains("looks emptied", StringComparison.Ordinal), "the re-check to notice the emptied store");
        await ProxyClient.SendAsync(rebuiltClient, [1]);
        Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(rebuiltClient, 1));

        // The operator rebuilds the index; the token revoked meanwhile stays missing.
        await proxy.App.Store.StoreAsync(TokenHash.Of(rebuilt), record!, CancellationToken.None);
        var stillOpen = proxy.App.Sessions.Count;

        // Step the retry clock only until the close arrives: stepping on would also run out the
        // relay's close-handshake timeout before the client has read the close frame.
        var closing = ProxyClient.ReceiveCloseAsync(revokedClient, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 40 && !closing.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(closing, Task.Delay(200));
        }

        var (code, _) = await closing;

        Assert.Equal(2, stillOpen);
        Assert.Equal(4001, code);
        await ProxyClient.SendAsync(rebuiltClient, [2]);
        Assert.Equal(new byte[] { 2 }, await ProxyClient.ReceiveExactlyAsync(rebuiltClient, 1));
    }
}
