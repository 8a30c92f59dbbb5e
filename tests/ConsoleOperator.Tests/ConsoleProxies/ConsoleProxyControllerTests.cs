using System.Text;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.Polling;
using TestKit.Processes;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

public sealed class ConsoleProxyControllerTests
{
    [Fact]
    public async Task Creating_a_proxy_applies_every_object_owned_by_it_and_the_status_follows_the_deployment()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        harness.StartWorkers();

        var proxy = await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
        await Poll.UntilAsync(async () => (await cluster.GetProxyAsync()).Status?.ObservedGeneration == 1, "the status is written");

        foreach (var (descriptor, name) in new[]
        {
            (KnownResources.ServiceAccount, "console-proxy"), (KnownResources.ConfigMap, "console-proxy"), (KnownResources.Deployment, "console-proxy"),
            (KnownResources.Service, "console-proxy"), (KnownResources.PodDisruptionBudget, "console-proxy"), (KnownResources.NetworkPolicy, "console-proxy"),
        })
        {
            var obj = await cluster.GetAsync(descriptor, EntityJson.TypeInfo<UntypedObject>(), name);
            Assert.NotNull(obj);
            var owner = Assert.Single(obj.Metadata.OwnerReferences ?? []);
            Assert.Equal((proxy.Metadata.Uid, "ConsoleProxy", true, true), (owner.Uid, owner.Kind, owner.Controller, owner.BlockOwnerDeletion));
            var managers = obj.Metadata.ManagedFields!.Select(entry => (entry.Manager, entry.Operation));
            Assert.Contains(("console-operator", "Apply"), managers);
        }

        Assert.Null(await cluster.GetAsync(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "console-redis"));
        Assert.Null(await cluster.GetAsync(KnownResources.HorizontalPodAutoscaler, EntityJson.TypeInfo<V2HorizontalPodAutoscaler>(), "console-proxy"));
        var rollingOut = (await cluster.GetProxyAsync()).Status!;
        Assert.Equal("https://console.example.com", rollingOut.Url);
        AssertCondition(rollingOut, ConsoleProxyConditions.Progressing, ConditionStatus.True, ConsoleProxyReasons.RollingOut);
        AssertCondition(rollingOut, ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.PodsNotReady);
        AssertCondition(rollingOut, ConsoleProxyConditions.Degraded, ConditionStatus.False, ConsoleProxyReasons.AsExpected);
        AssertCondition(rollingOut, ConsoleProxyConditions.TokenStoreReady, ConditionStatus.True, ConsoleProxyReasons.Reachable);

        // The pods come up: the Deployment's status change reaches the owner through the owned-object watch.
        await cluster.SetDeploymentStatusAsync("console-proxy", ready: 2);
        await Poll.UntilAsync(async () => StatusConditions.Find((await cluster.GetProxyAsync()).Status?.Conditions, ConsoleProxyConditions.Ready)?.Status == ConditionStatus.True, "the proxy turns Ready");
        var ready = (await cluster.GetProxyAsync()).Status!;
        Assert.Equal((2, 2), (ready.Replicas, ready.ReadyReplicas));
        AssertCondition(ready, ConsoleProxyConditions.Ready, ConditionStatus.True, ConsoleProxyReasons.ProxiesAvailable);
        AssertCondition(ready, ConsoleProxyConditions.Progressing, ConditionStatus.False, ConsoleProxyReasons.RolloutComplete);
    }

    [Fact]
    public async Task A_deleted_owned_object_is_recreated()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        harness.StartWorkers();
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
        var services = cluster.Resource(KnownResources.Service, EntityJson.TypeInfo<V1Service>());
        await Poll.UntilAsync(async () => await services.GetOrDefaultAsync("console-proxy") is not null, "the Service exists");
        var first = await services.GetAsync("console-proxy");

        await services.DeleteAsync("console-proxy");

        await Poll.UntilAsync(async () => await services.GetOrDefaultAsync("console-proxy") is { } again && again.Metadata.Uid != first.Metadata.Uid, "the Service is back");
    }

    [Fact]
    public async Task With_a_watched_namespace_proxies_in_other_namespaces_are_left_alone()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster, ProxyControllerHarness.DefaultOptions with { Namespace = ProxyTestCluster.Namespace });
        harness.StartWorkers();
        var elsewhere = cluster.Kubectl.Resource(Api.ApiKinds.ConsoleProxies, EntityJson.TypeInfo<ConsoleProxyResource>(), "default");
        await elsewhere.CreateAsync(new ConsoleProxyResource { Metadata = new V1ObjectMeta { Name = "other", NamespaceProperty = "default" }, Spec = ProxySpecs.External(redis.Address) });

        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));

        await Poll.UntilAsync(async () => (await cluster.GetProxyAsync()).Status?.ObservedGeneration == 1, "the proxy in the watched namespace is reconciled");
        Assert.Null((await elsewhere.GetAsync("other")).Status);
        Assert.Null(await cluster.Kubectl.Resource(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "default").GetOrDefaultAsync("other-proxy"));
    }

    [Fact]
    public async Task Injected_conflicts_are_retried_until_the_proxy_converges()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        cluster.Server.Faults.FailNextRequests(3, 409, "Conflict", "Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again",
            request => request.Method == "PATCH" && request.UserAgent == ProxyTestCluster.OperatorAgent);
        harness.StartWorkers();

        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));

        await Poll.UntilAsync(async () => (await cluster.GetProxyAsync()).Status?.ObservedGeneration == 1, "the proxy converges despite the conflicts");
        await cluster.SettleRequestLogAsync();
        Assert.Equal(3, cluster.Server.Requests.Entries.Count(request => request.Status == 409));
        Assert.NotNull(await cluster.GetAsync(KnownResources.NetworkPolicy, EntityJson.TypeInfo<V1NetworkPolicy>(), "console-proxy"));
    }

    [Fact]
    public async Task An_invalid_spec_is_reported_as_degraded_with_a_warning_event_and_nothing_is_applied_until_it_is_fixed()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        var spec = ProxySpecs.External(redis.Address);
        await cluster.CreateProxyAsync(spec with { Tokens = spec.Tokens with { AllowedTargets = ["10.20.0.0/33:5900"] } });
        await cluster.ClearRequestLogAsync();

        var result = await harness.ReconcileAsync();

        Assert.Equal(Kube.Runtime.Controllers.ReconcileResult.Done, result);
        Assert.Equal(["PATCH consoleproxies/console/status"], WrittenObjects.Of(await cluster.WritesAsync()));
        var status = (await cluster.GetProxyAsync()).Status!;
        var degraded = AssertCondition(status, ConsoleProxyConditions.Degraded, ConditionStatus.True, ConsoleProxyReasons.InvalidSpec);
        Assert.Contains("spec.tokens.allowedTargets[0]", degraded.Message, StringComparison.Ordinal);
        AssertCondition(status, ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.InvalidSpec);
        await Poll.UntilAsync(
            async () => (await cluster.EventsAsync()).Any(e => (string?)e["reason"] == ConsoleProxyReasons.InvalidSpec && (string?)e["type"] == "Warning"
                && ((string?)e["note"])?.Contains("spec.tokens.allowedTargets[0]", StringComparison.Ordinal) == true),
            "a Warning event says what to fix");

        // Reconciling the same invalid spec again neither writes nor repeats the event.
        await cluster.ClearRequestLogAsync();
        await harness.ReconcileAsync();
        await cluster.SettleRequestLogAsync();
        Assert.DoesNotContain(cluster.Server.Requests.Writes, request => request.UserAgent == ProxyTestCluster.OperatorAgent);

        await cluster.UpdateSpecAsync("console", _ => spec);
        await harness.ReconcileAsync();
        var fixedStatus = (await cluster.GetProxyAsync()).Status!;
        AssertCondition(fixedStatus, ConsoleProxyConditions.Degraded, ConditionStatus.False, ConsoleProxyReasons.AsExpected);
        Assert.NotNull(await cluster.GetAsync(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "console-proxy"));
    }

    [Fact]
    public async Task A_generated_redis_password_is_kept_across_reconciles_and_operator_restarts()
    {
        await using var cluster = await ProxyTestCluster.StartAsync();
        string generated;
        await using (var harness = await ProxyControllerHarness.StartAsync(cluster))
        {
            await cluster.CreateProxyAsync(ProxySpecs.Managed());
            await harness.ReconcileAsync();
            generated = await PasswordAsync(cluster);
            Assert.Matches("^[0-9a-f]{64}$", generated);

            await cluster.ClearRequestLogAsync();
            await harness.ReconcileAsync();
            Assert.DoesNotContain(WrittenObjects.Of(await cluster.WritesAsync()), write => write.Contains("secrets", StringComparison.Ordinal));
            Assert.Equal(generated, await PasswordAsync(cluster));
        }

        // A new operator process starts with empty caches: it must find the password, not mint another one.
        await using var restarted = await ProxyControllerHarness.StartAsync(cluster);
        await restarted.ReconcileAsync();
        Assert.Equal(generated, await PasswordAsync(cluster));
    }

    [Fact]
    public async Task A_proxy_being_deleted_is_left_to_the_garbage_collector()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
        await harness.ReconcileAsync();
        Assert.Null((await cluster.GetProxyAsync()).Metadata.Finalizers);

        await cluster.Proxies.DeleteAsync("console");
        await cluster.ClearRequestLogAsync();
        var result = await harness.ReconcileAsync();

        Assert.Equal(Kube.Runtime.Controllers.ReconcileResult.Done, result);
        Assert.Empty(await cluster.WritesAsync());
    }

    [Fact]
    public async Task An_object_the_api_server_refuses_is_reported_as_degraded_and_retried()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await ProxyControllerHarness.StartAsync(cluster);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
        cluster.Server.Faults.FailNextRequests(1, 422, "Invalid", "Deployment.apps \"console-proxy\" is invalid: denied by admission policy require-team-label",
            request => request.Method == "PATCH" && request.Path.EndsWith("/deployments/console-proxy", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<Kube.Client.Errors.KubernetesApiException>(() => harness.ReconcileAsync());

        Assert.True(refused.IsInvalid);
        var degraded = AssertCondition((await cluster.GetProxyAsync()).Status!, ConsoleProxyConditions.Degraded, ConditionStatus.True, ConsoleProxyReasons.ApplyRejected);
        Assert.Contains("require-team-label", degraded.Message, StringComparison.Ordinal);
        await Poll.UntilAsync(
            async () => (await cluster.EventsAsync()).Any(e => (string?)e["reason"] == ConsoleProxyReasons.ApplyRejected && (string?)e["type"] == "Warning"),
            "a Warning event names the refused object");

        await harness.ReconcileAsync();
        AssertCondition((await cluster.GetProxyAsync()).Status!, ConsoleProxyConditions.Degraded, ConditionStatus.False, ConsoleProxyReasons.AsExpected);
    }

    internal static V1Condition AssertCondition(ConsoleProxyStatus status, string type, string expectedStatus, string reason)
    {
        var condition = StatusConditions.Find(status.Conditions, type);
        Assert.True(condition is not null, $"condition {type} is set");
        Assert.True(condition.Status == expectedStatus && condition.Reason == reason, $"{type}: expected {expectedStatus}/{reason}, got {condition.Status}/{condition.Reason}: {condition.Message}");
        Assert.NotEqual(default, condition.LastTransitionTime);
        Assert.False(string.IsNullOrWhiteSpace(condition.Message));
        return condition;
    }

    private static async Task<string> PasswordAsync(ProxyTestCluster cluster)
    {
        var secret = await cluster.GetAsync(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>(), "console-redis-auth");
        Assert.NotNull(secret?.Data);
        return Encoding.UTF8.GetString(secret.Data["password"]);
    }
}
