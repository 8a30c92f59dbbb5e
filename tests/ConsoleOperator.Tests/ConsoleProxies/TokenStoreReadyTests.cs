using ConsoleOperator.Api.Common;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;
using TestKit.Polling;
using TestKit.Processes;
using TestKit.Time;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>TokenStoreReady against a real redis-server: reachable, stopped, back; and a password Secret that is missing.</summary>
public sealed class TokenStoreReadyTests
{
    [Fact]
    public async Task TokenStoreReady_follows_a_real_redis_and_its_transition_time_moves_only_on_flips()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        var clock = new ShiftedTimeProvider(TimeProvider.System);
        await using var harness = await ProxyControllerHarness.StartAsync(cluster, ProxyControllerHarness.DefaultOptions with { RecheckInterval = TimeSpan.FromSeconds(60) }, clock);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(60)), await harness.ReconcileAsync());
        var reachable = await ConditionAsync(cluster);
        Assert.Equal((ConditionStatus.True, ConsoleProxyReasons.Reachable), (reachable.Status, reachable.Reason));

        clock.Shift(TimeSpan.FromMinutes(1));
        await harness.ReconcileAsync();
        Assert.Equal(reachable.LastTransitionTime, (await ConditionAsync(cluster)).LastTransitionTime);

        await redis.StopAsync();
        clock.Shift(TimeSpan.FromMinutes(1));
        await harness.ReconcileAsync();
        var unreachable = await ConditionAsync(cluster);
        Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.Unreachable), (unreachable.Status, unreachable.Reason));
        Assert.Contains("spec.tokenStore.external.address", unreachable.Message, StringComparison.Ordinal);
        Assert.True(unreachable.LastTransitionTime > reachable.LastTransitionTime);
        ConsoleProxyControllerTests.AssertCondition((await cluster.GetProxyAsync()).Status!, ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.PodsNotReady);
        await Poll.UntilAsync(
            async () => (await cluster.EventsAsync()).Any(e => (string?)e["reason"] == ConsoleProxyReasons.Unreachable && (string?)e["type"] == "Warning"),
            "a Warning event reports the unreachable store");

        await redis.StartAgainAsync();
        clock.Shift(TimeSpan.FromMinutes(1));
        await Poll.UntilAsync(
            async () =>
            {
                await harness.ReconcileAsync();
                return (await ConditionAsync(cluster)).Status == ConditionStatus.True;
            },
            "the store is reachable again");
        Assert.True((await ConditionAsync(cluster)).LastTransitionTime > unreachable.LastTransitionTime);
    }

    [Fact]
    public async Task Ready_needs_the_token_store_even_when_every_pod_is_available()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
        await harness.ReconcileAsync();
        await cluster.SetDeploymentStatusAsync("console-proxy", ready: 2);
        await harness.ReconcileAsync();
        ConsoleProxyControllerTests.AssertCondition((await cluster.GetProxyAsync()).Status!, ConsoleProxyConditions.Ready, ConditionStatus.True, ConsoleProxyReasons.ProxiesAvailable);

        await redis.StopAsync();
        await harness.ReconcileAsync();

        ConsoleProxyControllerTests.AssertCondition((await cluster.GetProxyAsync()).Status!, ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.TokenStoreUnreachable);
    }

    [Fact]
    public async Task A_missing_password_secret_is_reported_by_name()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address, new SecretKeyReference { Name = "shared-redis", Key = "auth" }));

        await harness.ReconcileAsync();

        var condition = await ConditionAsync(cluster);
        Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.PasswordSecretMissing), (condition.Status, condition.Reason));
        Assert.Contains("shared-redis", condition.Message, StringComparison.Ordinal);
    }

    private static async Task<k8s.Models.V1Condition> ConditionAsync(ProxyTestCluster cluster) =>
        StatusConditions.Find((await cluster.GetProxyAsync()).Status?.Conditions, ConsoleProxyConditions.TokenStoreReady)
            ?? throw new InvalidOperationException("no TokenStoreReady condition");
}
