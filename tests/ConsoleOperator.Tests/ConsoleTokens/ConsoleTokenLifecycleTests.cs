using System.Collections.Concurrent;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.Polling;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleOperator.Tests.ConsoleTokens;

public sealed class ConsoleTokenLifecycleTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        await _cluster.CreateProxyAsync(maxTtlSeconds: 7200);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_token_expires_at_its_expiry_and_is_deleted_ttlSecondsAfterExpiry_later()
    {
        await _cluster.CreateTokenAsync("vm-exp", ttlSeconds: 60, ttlSecondsAfterExpiry: 120);
        var minted = await _cluster.ReconcileAsync("vm-exp");
        Assert.Equal(TimeSpan.FromSeconds(60), minted.RequeueAfterDelay);

        _cluster.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), (await _cluster.ReconcileAsync("vm-exp")).RequeueAfterDelay);
        Assert.Equal(ConsoleTokenPhase.Active, (await _cluster.GetTokenAsync("vm-exp")).Status?.Phase);

        _cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await _cluster.ReconcileAsync("vm-exp");

        var token = await _cluster.GetTokenAsync("vm-exp");
        Assert.Equal(ConsoleTokenPhase.Expired, token.Status?.Phase);
        var ready = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.Expired), (ready?.Status, ready?.Reason));
        Assert.Empty((await _cluster.GetSecretAsync("vm-exp"))!.Metadata.Finalizers ?? []);
        Assert.Equal(TimeSpan.FromSeconds(120), expired.RequeueAfterDelay);
        await _cluster.WaitForEventAsync("vm-exp", ConsoleTokenReasons.Expired);
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_tokens_expired_total"));
        Assert.Equal(0, await _cluster.MetricValueAsync("consoleoperator_tokens_active"));

        _cluster.Clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(TimeSpan.FromSeconds(20), (await _cluster.ReconcileAsync("vm-exp")).RequeueAfterDelay);
        Assert.NotNull(await _cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-exp"));

        _cluster.Clock.Advance(TimeSpan.FromSeconds(20));
        await _cluster.ReconcileAsync("vm-exp");

        // Deleted; the pass its deletion brings runs the finalizer, which has nothing left to revoke.
        Assert.NotNull((await _cluster.GetTokenAsync("vm-exp")).Metadata.DeletionTimestamp);
        await _cluster.ReconcileAsync("vm-exp");
        Assert.Null(await _cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-exp"));
        Assert.Equal(0, await _cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));
    }

    [Fact]
    public async Task Deleting_an_active_token_revokes_its_hash_publishes_the_revocation_and_then_lets_go()
    {
        await _cluster.CreateTokenAsync("vm-del");
        await _cluster.ReconcileAsync("vm-del");
        var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-del"))!, out _)!;
        await using var listener = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(_cluster.Redis.Address, KeyPrefix: _cluster.KeyPrefix), TimeProvider.System, CancellationToken.None);
        var published = new ConcurrentQueue<TokenHash>();
        await using var subscription = await listener.SubscribeRevocationsAsync(hash => { published.Enqueue(hash); return ValueTask.CompletedTask; }, CancellationToken.None);

        await _cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-del");
        var terminating = await _cluster.GetTokenAsync("vm-del");
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        await _cluster.ReconcileAsync("vm-del");

        Assert.Empty(await _cluster.TokenKeysAsync());
        await Poll.UntilAsync(() => published.Contains(minted.Hash), "the revocation was published");
        Assert.Null(await _cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-del"));
        await _cluster.WaitForEventAsync("vm-del", ConsoleTokenReasons.Revoked);
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));
    }

    [Fact]
    public async Task Deleting_the_secret_of_an_active_token_revokes_the_token_before_the_secret_goes()
    {
        await _cluster.CreateTokenAsync("vm-sec");
        await _cluster.ReconcileAsync("vm-sec");
        Assert.Single(await _cluster.TokenKeysAsync());

        await _cluster.Secrets.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-sec-console");
        Assert.NotNull((await _cluster.GetSecretAsync("vm-sec"))?.Metadata.DeletionTimestamp);
        await _cluster.ReconcileAsync("vm-sec");

        Assert.Empty(await _cluster.TokenKeysAsync());
        Assert.Null(await _cluster.GetSecretAsync("vm-sec"));
        var token = await _cluster.GetTokenAsync("vm-sec");
        Assert.Equal(ConsoleTokenPhase.Revoked, token.Status?.Phase);
        Assert.Equal(ConsoleTokenReasons.SecretDeleted, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Reason);
        await _cluster.WaitForEventAsync("vm-sec", ConsoleTokenReasons.SecretDeleted);
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));

        // Deleting the token afterwards has nothing left to revoke: the finalizer's pass lets it go at once.
        await _cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-sec");
        await _cluster.ReconcileAsync("vm-sec");
        Assert.Null(await _cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-sec"));
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));
    }

    [Fact]
    public async Task Deleting_while_redis_is_down_keeps_the_finalizer_until_the_revocation_went_through()
    {
        await _cluster.CreateTokenAsync("vm-down");
        await _cluster.ReconcileAsync("vm-down");
        await _cluster.Redis.StopAsync();
        await _cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-down");

        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => _cluster.ReconcileAsync("vm-down"));

        var held = await _cluster.GetTokenAsync("vm-down");
        Assert.Contains(ConsoleTokenControllerOptions.DefaultFinalizer, held.Metadata.Finalizers ?? []);

        await _cluster.Redis.StartAgainAsync();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await _cluster.ReconcileAsync("vm-down");
                    return true;
                }
                catch (TokenStoreUnavailableException)
                {
                    return false;
                }
            },
            "the revocation went through once Redis was back",
            TimeSpan.FromSeconds(30));
        Assert.Null(await _cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-down"));
    }

    [Fact]
    public async Task After_redis_lost_its_data_every_active_token_is_written_again_with_the_same_hash()
    {
        await _cluster.CreateTokenAsync("vm-a");
        await _cluster.CreateTokenAsync("vm-b");
        await _cluster.ReconcileAsync("vm-a");
        await _cluster.ReconcileAsync("vm-b");
        var before = (await _cluster.TokenKeysAsync()).Order().ToList();
        Assert.Equal(2, before.Count);

        Assert.Equal("OK", await _cluster.Redis.CommandAsync("FLUSHALL"));
        var lost = await _cluster.Monitor.CheckAllAsync(CancellationToken.None);

        Assert.Equal([new ConsoleOperator.Kube.Runtime.ObjectKey(TokenCluster.Namespace, TokenCluster.ProxyName)], lost);
        await _cluster.ReconcileAsync("vm-a");
        await _cluster.ReconcileAsync("vm-b");
        Assert.Equal(before, (await _cluster.TokenKeysAsync()).Order().ToList());
        Assert.Equal(2, await _cluster.MetricValueAsync("consoleoperator_tokens_restored_total"));
        await _cluster.WaitForEventAsync("vm-a", ConsoleTokenReasons.Restored);

        // The store kept its data since: the next pass finds the marker and nothing is checked again.
        Assert.Empty(await _cluster.Monitor.CheckAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_single_use_token_missing_from_the_store_counts_as_used_and_is_never_written_again()
    {
        await _cluster.CreateTokenAsync("vm-once", singleUse: true);
        await _cluster.ReconcileAsync("vm-once");
        await _cluster.Redis.CommandAsync("FLUSHALL");
        await _cluster.Monitor.CheckAllAsync(CancellationToken.None);

        await _cluster.ReconcileAsync("vm-once");

        Assert.Empty(await _cluster.TokenKeysAsync());
        var token = await _cluster.GetTokenAsync("vm-once");
        Assert.Equal(ConsoleTokenPhase.Expired, token.Status?.Phase);
        Assert.Equal(ConsoleTokenReasons.Consumed, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Reason);
    }

    [Theory]
    [InlineData(ConsoleTokenReasons.ProxyNotFound)]
    [InlineData(ConsoleTokenReasons.NamespaceNotAllowed)]
    [InlineData(ConsoleTokenReasons.TargetNotAllowed)]
    [InlineData(ConsoleTokenReasons.TTLTooLong)]
    public async Task An_invalid_token_says_why_and_writes_nothing_to_redis(string reason)
    {
        var created = reason switch
        {
            ConsoleTokenReasons.ProxyNotFound => await _cluster.CreateTokenAsync("vm-bad", proxyName: "nowhere"),
            ConsoleTokenReasons.NamespaceNotAllowed => await _cluster.CreateTokenAsync("vm-bad", ns: TokenCluster.OtherNamespace, proxyNamespace: TokenCluster.Namespace),
            ConsoleTokenReasons.TargetNotAllowed => await _cluster.CreateTokenAsync("vm-bad", host: "10.1.2.3"),
            _ => await _cluster.CreateTokenAsync("vm-bad", ttlSeconds: 7201),
        };
        var ns = created.Metadata.NamespaceProperty!;

        var result = await _cluster.ReconcileAsync("vm-bad", ns);

        Assert.Equal(ReconcileResultDone, result.ToString());
        var token = await _cluster.GetTokenAsync("vm-bad", ns);
        Assert.Equal(ConsoleTokenPhase.Invalid, token.Status?.Phase);
        var ready = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConditionStatus.False, reason), (ready?.Status, ready?.Reason));
        Assert.False(string.IsNullOrWhiteSpace(ready?.Message));
        Assert.Null(token.Status?.SecretName);
        Assert.Null(token.Status?.ExpiresAt);
        Assert.Null(await _cluster.GetSecretAsync("vm-bad", ns));
        Assert.Empty(await _cluster.TokenKeysAsync());
        await _cluster.WaitForEventAsync("vm-bad", reason, ns);
        Assert.Equal(1, await _cluster.MetricValueAsync($"consoleoperator_tokens_invalid_total{{reason=\"{reason}\"}}"));

        // Reconciling again changes nothing and counts nothing twice.
        _cluster.Server.Requests.Clear();
        await _cluster.ReconcileAsync("vm-bad", ns);
        Assert.Empty(_cluster.Writes());
        Assert.Equal(1, await _cluster.MetricValueAsync($"consoleoperator_tokens_invalid_total{{reason=\"{reason}\"}}"));
    }

    [Fact]
    public async Task An_invalid_token_is_minted_once_its_proxy_appears()
    {
        await _cluster.CreateTokenAsync("vm-later", proxyName: "late");
        await _cluster.ReconcileAsync("vm-later");
        Assert.Equal(ConsoleTokenPhase.Invalid, (await _cluster.GetTokenAsync("vm-later")).Status?.Phase);

        await _cluster.CreateProxyAsync(name: "late");
        await _cluster.ReconcileAsync("vm-later");

        var token = await _cluster.GetTokenAsync("vm-later");
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        Assert.Equal(ConditionStatus.True, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Status);
    }

    [Fact]
    public async Task An_active_token_whose_proxy_was_deleted_is_revoked()
    {
        await _cluster.CreateTokenAsync("vm-orphan");
        await _cluster.ReconcileAsync("vm-orphan");

        await _cluster.Proxies.InNamespace(TokenCluster.Namespace).DeleteAsync(TokenCluster.ProxyName);
        await _cluster.ReconcileAsync("vm-orphan");

        var token = await _cluster.GetTokenAsync("vm-orphan");
        Assert.Equal(ConsoleTokenPhase.Revoked, token.Status?.Phase);
        Assert.Equal(ConsoleTokenReasons.ProxyDeleted, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Reason);
        Assert.Empty(await _cluster.TokenKeysAsync());
    }

    private const string ReconcileResultDone = "Done";
}
