using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// spec.shareOf with the token controller, a real redis-server and the fake API server: a share waits (Invalid,
/// ShareOfNotActive, checked again) until the token it shares is Active, is then minted as a token of its own for the
/// same console and always view-only in the record the proxies read, and a share naming another console is refused.
/// </summary>
public sealed class ConsoleTokenShareTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        await _cluster.CreateProxyAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_share_waits_for_its_token_then_is_minted_view_only_for_the_same_console()
    {
        await _cluster.CreateTokenAsync("vm-7-watch", port: 5907, shareOf: "vm-7");

        var waiting = await _cluster.ReconcileAsync("vm-7-watch");

        Assert.Equal(ReconcileResult.RequeueAfter(ShareCheck.NotActiveRetry), waiting);
        var share = await _cluster.GetTokenAsync("vm-7-watch");
        var ready = StatusConditions.Find(share.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConsoleTokenPhase.Invalid, ConsoleTokenReasons.ShareOfNotActive), (share.Status?.Phase, ready?.Reason));
        Assert.Contains($"ConsoleToken {TokenCluster.Namespace}/vm-7 (spec.shareOf) does not exist", ready?.Message, StringComparison.Ordinal);
        Assert.Empty(await _cluster.TokenKeysAsync());

        await _cluster.CreateTokenAsync("vm-7", port: 5907);
        await _cluster.ReconcileAsync("vm-7");
        await _cluster.ReconcileAsync("vm-7-watch");

        share = await _cluster.GetTokenAsync("vm-7-watch");
        Assert.Equal(ConsoleTokenPhase.Active, share.Status?.Phase);
        var owner = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-7"))!, out _)!;
        var watcher = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-7-watch"))!, out _)!;
        Assert.NotEqual(owner.Hash, watcher.Hash);
        // The share did not ask for viewOnly: it is view-only all the same; the owner's token is not.
        Assert.Equal("1", await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + watcher.Hash.Hex, "view_only"));
        Assert.Equal("0", await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + owner.Hash.Hex, "view_only"));
        Assert.Equal("5907", await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + watcher.Hash.Hex, "port"));
    }

    [Fact]
    public async Task A_share_expires_no_later_than_the_token_it_shares_and_keeps_a_shorter_lifetime_of_its_own()
    {
        await _cluster.CreateTokenAsync("vm-6", port: 5906, ttlSeconds: 600);
        await _cluster.ReconcileAsync("vm-6");
        await _cluster.CatchUpAsync("vm-6");
        await _cluster.CreateTokenAsync("vm-6-watch", port: 5906, ttlSeconds: 3600, shareOf: "vm-6");
        await _cluster.CreateTokenAsync("vm-6-glance", port: 5906, ttlSeconds: 60, shareOf: "vm-6");

        await _cluster.ReconcileAsync("vm-6-watch");
        await _cluster.ReconcileAsync("vm-6-glance");

        var owner = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-6"))!, out _)!;
        var watcher = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-6-watch"))!, out _)!;
        var glance = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-6-glance"))!, out _)!;
        // An hour asked for, ten minutes left on the shared token: the share ends with it, in the Secret, the status
        // and the record (and its key's TTL) the proxies read.
        Assert.Equal(owner.ExpiresAt, watcher.ExpiresAt);
        Assert.Equal(owner.ExpiresAt, (await _cluster.GetTokenAsync("vm-6-watch")).Status?.ExpiresAt);
        Assert.Equal(
            await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + owner.Hash.Hex, "expires_at"),
            await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + watcher.Hash.Hex, "expires_at"));
        var ttl = long.Parse((await _cluster.Redis.CommandAsync("PTTL", _cluster.KeyPrefix + "token:" + watcher.Hash.Hex))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, (long)TimeSpan.FromSeconds(600).TotalMilliseconds + 60_000);
        // A share asking for less than is left keeps its own lifetime.
        Assert.True(glance.ExpiresAt < owner.ExpiresAt);
        Assert.Equal(owner.ExpiresAt - TimeSpan.FromSeconds(540), glance.ExpiresAt);
    }

    [Fact]
    public async Task A_share_of_a_token_past_its_expiry_is_refused_saying_so()
    {
        await _cluster.CreateTokenAsync("vm-5", port: 5905, ttlSeconds: 60);
        await _cluster.ReconcileAsync("vm-5");
        await _cluster.CatchUpAsync("vm-5");
        await _cluster.CreateTokenAsync("vm-5-watch", port: 5905, shareOf: "vm-5");
        // The shared token's status still says Active (its own expiry reconcile has not run yet): its expiry decides.
        _cluster.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(ReconcileResult.Done, await _cluster.ReconcileAsync("vm-5-watch"));

        var share = await _cluster.GetTokenAsync("vm-5-watch");
        var ready = StatusConditions.Find(share.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConsoleTokenPhase.Invalid, ConsoleTokenReasons.ShareOfNotActive), (share.Status?.Phase, ready?.Reason));
        Assert.Contains($"ConsoleToken {TokenCluster.Namespace}/vm-5 (spec.shareOf) expired at", ready?.Message, StringComparison.Ordinal);
        Assert.Null(await _cluster.GetSecretAsync("vm-5-watch"));
    }

    [Fact]
    public async Task A_share_of_a_token_that_is_not_Active_says_its_phase()
    {
        await _cluster.CreateTokenAsync("vm-8", port: 5908, proxyName: "no-such-proxy");
        await _cluster.ReconcileAsync("vm-8");
        await _cluster.CreateTokenAsync("vm-8-watch", port: 5908, proxyName: "no-such-proxy", shareOf: "vm-8");

        await _cluster.ReconcileAsync("vm-8-watch");

        var ready = StatusConditions.Find((await _cluster.GetTokenAsync("vm-8-watch")).Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal(ConsoleTokenReasons.ShareOfNotActive, ready?.Reason);
        Assert.Contains("is Invalid, not Active", ready?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_share_naming_another_console_is_refused_as_ShareMismatch_naming_the_field()
    {
        await _cluster.CreateTokenAsync("vm-9", port: 5909);
        await _cluster.ReconcileAsync("vm-9");
        await _cluster.CreateTokenAsync("vm-9-watch", port: 5910, shareOf: "vm-9");

        Assert.Equal(ReconcileResult.Done, await _cluster.ReconcileAsync("vm-9-watch"));

        var share = await _cluster.GetTokenAsync("vm-9-watch");
        var ready = StatusConditions.Find(share.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConsoleTokenPhase.Invalid, ConsoleTokenReasons.ShareMismatch), (share.Status?.Phase, ready?.Reason));
        Assert.Contains("spec.target 127.0.0.1:5909, this token 127.0.0.1:5910", ready?.Message, StringComparison.Ordinal);
        Assert.Null(await _cluster.GetSecretAsync("vm-9-watch"));
    }

    [Fact]
    public async Task A_share_of_a_screenshot_only_token_must_be_screenshot_only_too_and_may_narrow_a_console_token_to_screenshots()
    {
        await _cluster.CreateTokenAsync("vm-11", port: 5911, screenshotOnly: true);
        await _cluster.ReconcileAsync("vm-11");
        await _cluster.CreateTokenAsync("vm-11-console", port: 5911, shareOf: "vm-11");
        await _cluster.CreateTokenAsync("vm-11-picture", port: 5911, shareOf: "vm-11", screenshotOnly: true);
        await _cluster.CreateTokenAsync("vm-12", port: 5912);
        await _cluster.ReconcileAsync("vm-12");
        await _cluster.CreateTokenAsync("vm-12-picture", port: 5912, shareOf: "vm-12", screenshotOnly: true);

        Assert.Equal(ReconcileResult.Done, await _cluster.ReconcileAsync("vm-11-console"));
        await _cluster.ReconcileAsync("vm-11-picture");
        await _cluster.ReconcileAsync("vm-12-picture");

        var wider = await _cluster.GetTokenAsync("vm-11-console");
        var ready = StatusConditions.Find(wider.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConsoleTokenPhase.Invalid, ConsoleTokenReasons.ShareMismatch), (wider.Status?.Phase, ready?.Reason));
        Assert.Contains("spec.screenshotOnly true, this token false", ready?.Message, StringComparison.Ordinal);
        Assert.Null(await _cluster.GetSecretAsync("vm-11-console"));
        foreach (var name in new[] { "vm-11-picture", "vm-12-picture" })
        {
            Assert.Equal(ConsoleTokenPhase.Active, (await _cluster.GetTokenAsync(name)).Status?.Phase);
            var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync(name))!, out _)!;
            Assert.Equal("vnc-screenshot", await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + minted.Hash.Hex, "kind"));
        }
    }
}
