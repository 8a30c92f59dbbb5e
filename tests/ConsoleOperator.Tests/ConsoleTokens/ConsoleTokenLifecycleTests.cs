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
    private TokenCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await TokenCluster.StartAsync();
        await cluster.CreateProxyAsync(maxTtlSeconds: 7200);
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_token_expires_at_its_expiry_and_is_deleted_ttlSecondsAfterExpiry_later()
    {
        await cluster.CreateTokenAsync("vm-exp", ttlSeconds: 60, ttlSecondsAfterExpiry: 120);
        var minted = await cluster.ReconcileAsync("vm-exp");
        Assert.Equal(TimeSpan.FromSeconds(60), minted.RequeueAfterDelay);

        cluster.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), (await cluster.ReconcileAsync("vm-exp")).RequeueAfterDelay);
        Assert.Equal(ConsoleTokenPhase.Active, (await cluster.GetTokenAsync("vm-exp")).Status?.Phase);

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await cluster.ReconcileAsync("vm-exp");

        var token = await cluster.GetTokenAsync("vm-exp");
        Assert.Equal(ConsoleTokenPhase.Expired, token.Status?.Phase);
        var ready = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.Expired), (ready?.Status, ready?.Reason));
        Assert.Empty((await cluster.GetSecretAsync("vm-exp"))!.Metadata.Finalizers ?? []);
        Assert.Equal(TimeSpan.FromSeconds(120), expired.RequeueAfterDelay);
        await cluster.WaitForEventAsync("vm-exp", ConsoleTokenReasons.Expired);
        Assert.Equal(1, await cluster.MetricValueAsync("consoleoperator_tokens_expired_total"));
        Assert.Equal(0, await cluster.MetricValueAsync("consoleoperator_tokens_active"));

        cluster.Clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(TimeSpan.FromSeconds(20), (await cluster.ReconcileAsync("vm-exp")).RequeueAfterDelay);
        Assert.NotNull(await cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-exp"));

        cluster.Clock.Advance(TimeSpan.FromSeconds(20));
        await cluster.ReconcileAsync("vm-exp");

        // Deleted; the pass its deletion brings runs the finalizer, which has nothing left to revoke.
        Assert.NotNull((await cluster.GetTokenAsync("vm-exp")).Metadata.DeletionTimestamp);
        await cluster.ReconcileAsync("vm-exp");
        Assert.Null(await cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-exp"));
        Assert.Equal(0, await cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));
    }

    [Fact]
    public async Task Deleting_an_active_token_revokes_its_hash_publishes_the_revocation_and_then_lets_go()
    {
        await cluster.CreateTokenAsync("vm-del");
        await cluster.ReconcileAsync("vm-del");
        var minted = ConsoleTokenSecret.Read((await cluster.GetSecretAsync("vm-del"))!, out _)!;
        await using var listener = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(cluster.Redis.Address, KeyPrefix: cluster.KeyPrefix), TimeProvider.System, CancellationToken.None);
        var published = new ConcurrentQueue<TokenHash>();
        await using var subscription = await listener.SubscribeRevocationsAsync(hash => { published.Enqueue(hash); return ValueTask.CompletedTask; }, CancellationToken.None);

        await cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-del");
        var terminating = await cluster.GetTokenAsync("vm-del");
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        await cluster.ReconcileAsync("vm-del");

        Assert.Empty(await cluster.TokenKeysAsync());
        await Poll.UntilAsync(() => published.Contains(minted.Hash), "the revocation was published");
        Assert.Null(await cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-del"));
        await cluster.WaitForEventAsync("vm-del", ConsoleTokenReasons.Revoked);
        Assert.Equal(1, await cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));
    }

    [Fact]
    public async Task Deleting_the_secret_of_an_active_token_revokes_the_token_before_the_secret_goes()
    {
        await cluster.CreateTokenAsync("vm-sec");
        await cluster.ReconcileAsync("vm-sec");
        Assert.Single(await cluster.TokenKeysAsync());

        await cluster.Secrets.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-sec-console");
        Assert.NotNull((await cluster.GetSecretAsync("vm-sec"))?.Metadata.DeletionTimestamp);
        await cluster.ReconcileAsync("vm-sec");

        Assert.Empty(await cluster.TokenKeysAsync());
        Assert.Null(await cluster.GetSecretAsync("vm-sec"));
        var token = await cluster.GetTokenAsync("vm-sec");
        Assert.Equal(ConsoleTokenPhase.Revoked, token.Status?.Phase);
        Assert.Equal(ConsoleTokenReasons.SecretDeleted, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Reason);
        await cluster.WaitForEventAsync("vm-sec", ConsoleTokenReasons.SecretDeleted);
        Assert.Equal(1, await cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));

        // Deleting the token afterwards has nothing left to revoke: the finalizer's pass lets it go at once.
        await cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-sec");
        await cluster.ReconcileAsync("vm-sec");
        Assert.Null(await cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-sec"));
        Assert.Equal(1, await cluster.MetricValueAsync("consoleoperator_tokens_revoked_total"));
    }

    [Fact]
    public async Task Deleting_while_redis_is_down_keeps_the_finalizer_until_the_revocation_went_through()
    {
        await cluster.CreateTokenAsync("vm-down");
        await cluster.ReconcileAsync("vm-down");
        await cluster.Redis.StopAsync();
        await cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-down");

        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => cluster.ReconcileAsync("vm-down"));

        var held = await cluster.GetTokenAsync("vm-down");
        Assert.Contains(ConsoleTokenControllerOptions.DefaultFinalizer, held.Metadata.Finalizers ?? []);

        await cluster.Redis.StartAgainAsync();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await cluster.ReconcileAsync("vm-down");
                    return true;
                }
                catch (TokenStoreUnavailableException)
                {
                    return false;
                }
            },
            "the revocation went through once Redis was back",
            TimeSpan.FromSeconds(30));
        Assert.Null(await cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-down"));
    }

    [Fact]
    public async Task After_redis_lost_its_data_every_active_token_is_written_again_with_the_same_hash()
    {
        await cluster.CreateTokenAsync("vm-a");
        await cluster.CreateTokenAsync("vm-b");
        await cluster.ReconcileAsync("vm-a");
        await cluster.ReconcileAsync("vm-b");
        var before = (await cluster.TokenKeysAsync()).Order().ToList();
        Assert.Equal(2, before.Count);

        Assert.Equal("OK", await cluster.Redis.CommandAsync("FLUSHALL"));
        var lost = await cluster.Monitor.CheckAllAsync(CancellationToken.None);

        Assert.Equal([new ConsoleOperator.Kube.Runtime.ObjectKey(TokenCluster.Namespace, TokenCluster.ProxyName)], lost);
        await cluster.ReconcileAsync("vm-a");
        await cluster.ReconcileAsync("vm-b");
        Assert.Equal(before, (await cluster.TokenKeysAsync()).Order().ToList());
        Assert.Equal(2, await cluster.MetricValueAsync("consoleoperator_tokens_restored_total"));
        await cluster.WaitForEventAsync("vm-a", ConsoleTokenReasons.Restored);

        // The store kept its data since: the next pass finds the marker and nothing is checked again.
        Assert.Empty(await cluster.Monitor.CheckAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_single_use_token_missing_from_the_store_counts_as_used_and_is_never_written_again()
    {
        await cluster.CreateTokenAsync("vm-once", singleUse: true);
        await cluster.ReconcileAsync("vm-once");
        await cluster.Redis.CommandAsync("FLUSHALL");
        await cluster.Monitor.CheckAllAsync(CancellationToken.None);

        await cluster.ReconcileAsync("vm-once");

        Assert.Empty(await cluster.TokenKeysAsync());
        var token = await cluster.GetTokenAsync("vm-once");
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
            ConsoleTokenReasons.ProxyNotFound => await cluster.CreateTokenAsync("vm-bad", proxyName: "nowhere"),
            ConsoleTokenReasons.NamespaceNotAllowed => await cluster.CreateTokenAsync("vm-bad", ns: TokenCluster.OtherNamespace, proxyNamespace: TokenCluster.Namespace),
            ConsoleTokenReasons.TargetNotAllowed => await cluster.CreateTokenAsync("vm-bad", host: "10.1.2.3"),
            _ => await cluster.CreateTokenAsync("vm-bad", ttlSeconds: 7201),
        };
        var ns = created.Metadata.NamespaceProperty!;

        var result = await cluster.ReconcileAsync("vm-bad", ns);

        Assert.Equal(ReconcileResultDone, result.ToString());
        var token = await cluster.GetTokenAsync("vm-bad", ns);
        Assert.Equal(ConsoleTokenPhase.Invalid, token.Status?.Phase);
        var ready = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready);
        Assert.Equal((ConditionStatus.False, reason), (ready?.Status, ready?.Reason));
        Assert.False(string.IsNullOrWhiteSpace(ready?.Message));
        Assert.Null(token.Status?.SecretName);
        Assert.Null(token.Status?.ExpiresAt);
        Assert.Null(await cluster.GetSecretAsync("vm-bad", ns));
        Assert.Empty(await cluster.TokenKeysAsync());
        await cluster.WaitForEventAsync("vm-bad", reason, ns);
        Assert.Equal(1, await cluster.MetricValueAsync($"consoleoperator_tokens_invalid_total{{reason=\"{reason}\"}}"));

        // Reconciling again changes nothing and counts nothing twice.
        cluster.Server.Requests.Clear();
        await cluster.ReconcileAsync("vm-bad", ns);
        Assert.Empty(cluster.Writes());
        Assert.Equal(1, await cluster.MetricValueAsync($"consoleoperator_tokens_invalid_total{{reason=\"{reason}\"}}"));
    }

    [Fact]
    public async Task An_invalid_token_is_minted_once_its_proxy_appears()
    {
        await cluster.CreateTokenAsync("vm-later", proxyName: "late");
        await cluster.ReconcileAsync("vm-later");
        Assert.Equal(ConsoleTokenPhase.Invalid, (await cluster.GetTokenAsync("vm-later")).Status?.Phase);

        await cluster.CreateProxyAsync(name: "late");
        await cluster.ReconcileAsync("vm-later");

        var token = await cluster.GetTokenAsync("vm-later");
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        Assert.True(StatusConditions.IsTrue(token.Status?.Conditions, ConsoleTokenConditions.Ready));
    }

    [Fact]
    public async Task An_active_token_whose_proxy_was_deleted_is_revoked()
    {
        await cluster.CreateTokenAsync("vm-orphan");
        await cluster.ReconcileAsync("vm-orphan");

        await cluster.Proxies.InNamespace(TokenCluster.Namespace).DeleteAsync(TokenCluster.ProxyName);
        await cluster.ReconcileAsync("vm-orphan");

        var token = await cluster.GetTokenAsync("vm-orphan");
        Assert.Equal(ConsoleTokenPhase.Revoked, token.Status?.Phase);
        Assert.Equal(ConsoleTokenReasons.ProxyDeleted, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Reason);
        Assert.Empty(await cluster.TokenKeysAsync());
    }

    private const string ReconcileResultDone = "Done";
}
