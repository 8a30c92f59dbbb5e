using System.Text;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.Processes;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>Each class of spec change touches exactly the objects that depend on it; an unchanged proxy costs no write.</summary>
public sealed class ConsoleProxyUpdateTests : IAsyncLifetime
{
    private const string RedisPassword = "test-redis-password-0123456789";

    private RedisServer _redis = null!;
    private ProxyTestCluster _cluster = null!;
    private ProxyControllerHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(RedisPassword);
        _cluster = await ProxyTestCluster.StartAsync();
        _harness = await ProxyControllerHarness.StartAsync(_cluster, addresses: new LoopbackTokenStores(_redis.Address));

        // The managed store's password as a previous operator run left it: kept, so the real Redis accepts it.
        await _cluster.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>()).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "console-redis-auth", NamespaceProperty = ProxyTestCluster.Namespace, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "console-operator" } },
            Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes(RedisPassword) },
        });
        await _cluster.CreateProxyAsync(ProxySpecs.Managed());
        await _harness.ReconcileAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task The_first_reconcile_applies_all_ten_objects_with_one_field_manager_and_force()
    {
        var log = _cluster.Server.Requests.Writes.Where(request => request.UserAgent == ProxyTestCluster.OperatorAgent && request.Path.Contains("/namespaces/consoles/", StringComparison.Ordinal) && !request.Path.Contains("/events", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "PATCH configmaps/console-proxy", "PATCH consoleproxies/console/status", "PATCH deployments/console-proxy", "PATCH deployments/console-redis",
                "PATCH networkpolicies/console-proxy", "PATCH poddisruptionbudgets/console-proxy", "PATCH secrets/console-redis-auth",
                "PATCH serviceaccounts/console-proxy", "PATCH services/console-proxy", "PATCH services/console-redis",
            ],
            WrittenObjects.Of(log));
        Assert.All(log, request =>
        {
            Assert.Equal("application/apply-patch+yaml", request.ContentType);
            Assert.Contains("fieldManager=console-operator", request.Query, StringComparison.Ordinal);
            Assert.Contains("force=true", request.Query, StringComparison.Ordinal);
        });
        var status = (await _cluster.GetProxyAsync()).Status!;
        ConsoleProxyControllerTests.AssertCondition(status, ConsoleProxyConditions.TokenStoreReady, ConditionStatus.True, ConsoleProxyReasons.Reachable);
    }

    [Fact]
    public async Task A_second_reconcile_of_an_unchanged_proxy_writes_nothing()
    {
        await _cluster.ClearRequestLogAsync();

        await _harness.ReconcileAsync();

        Assert.Empty(await _cluster.WritesAsync());
    }

    [Fact]
    public async Task Changing_replicas_changes_only_the_proxy_deployment()
    {
        await _cluster.UpdateSpecAsync("console", spec => spec with { Replicas = 5 });
        await _cluster.ClearRequestLogAsync();

        await _harness.ReconcileAsync();

        Assert.Equal(["PATCH consoleproxies/console/status", "PATCH deployments/console-proxy"], WrittenObjects.Of(await _cluster.WritesAsync()));
        var deployment = await _cluster.GetAsync(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "console-proxy");
        Assert.Equal(5, deployment!.Spec!.Replicas);
        Assert.Equal(2, (await _cluster.GetProxyAsync()).Status!.ObservedGeneration);
    }

    [Fact]
    public async Task Changing_session_limits_rewrites_the_configuration_and_rolls_the_pods_through_the_config_hash()
    {
        var before = await ConfigHashAsync();
        await _cluster.UpdateSpecAsync("console", spec => spec with { Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 900 } });
        await _cluster.ClearRequestLogAsync();

        await _harness.ReconcileAsync();

        Assert.Equal(["PATCH configmaps/console-proxy", "PATCH consoleproxies/console/status", "PATCH deployments/console-proxy"], WrittenObjects.Of(await _cluster.WritesAsync()));
        Assert.NotEqual(before, await ConfigHashAsync());
    }

    [Fact]
    public async Task Switching_to_an_external_store_deletes_the_redis_objects_and_retargets_network_policy_egress()
    {
        var policies = _cluster.Resource(KnownResources.NetworkPolicy, EntityJson.TypeInfo<V1NetworkPolicy>());
        var egressBefore = await EgressAsync(policies);
        await using var external = await RedisServer.StartAsync();
        await _cluster.UpdateSpecAsync("console", spec => spec with { TokenStore = new TokenStoreSpec { External = new ExternalTokenStoreSpec { Address = external.Address } } });
        await _cluster.ClearRequestLogAsync();

        await _harness.ReconcileAsync();

        var touched = WrittenObjects.Of(await _cluster.WritesAsync());
        Assert.Contains("DELETE deployments/console-redis", touched);
        Assert.Contains("DELETE services/console-redis", touched);
        Assert.Contains("DELETE secrets/console-redis-auth", touched);
        Assert.Contains("PATCH networkpolicies/console-proxy", touched);
        Assert.DoesNotContain("PATCH serviceaccounts/console-proxy", touched);
        Assert.DoesNotContain("PATCH services/console-proxy", touched);
        Assert.Null(await _cluster.GetAsync(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "console-redis"));
        var egressAfter = await EgressAsync(policies);
        Assert.NotEqual(egressBefore, egressAfter);
        Assert.Contains("127.0.0.1/32", egressAfter, StringComparison.Ordinal);
        var status = (await _cluster.GetProxyAsync()).Status!;
        ConsoleProxyControllerTests.AssertCondition(status, ConsoleProxyConditions.TokenStoreReady, ConditionStatus.True, ConsoleProxyReasons.Reachable);
        Assert.Contains(external.Address, StatusConditions.Find(status.Conditions, ConsoleProxyConditions.TokenStoreReady)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turning_autoscaling_on_creates_the_autoscaler_and_turning_it_off_deletes_it()
    {
        await _cluster.UpdateSpecAsync("console", spec => spec with { Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 6 } });
        await _cluster.ClearRequestLogAsync();
        await _harness.ReconcileAsync();

        var touched = WrittenObjects.Of(await _cluster.WritesAsync());
        Assert.Equal(["PATCH consoleproxies/console/status", "PATCH deployments/console-proxy", "PATCH horizontalpodautoscalers/console-proxy"], touched);
        var autoscaler = await _cluster.GetAsync(KnownResources.HorizontalPodAutoscaler, EntityJson.TypeInfo<V2HorizontalPodAutoscaler>(), "console-proxy");
        Assert.Equal(6, autoscaler!.Spec!.MaxReplicas);

        await _cluster.UpdateSpecAsync("console", spec => spec with { Autoscaling = null });
        await _cluster.ClearRequestLogAsync();
        await _harness.ReconcileAsync();

        Assert.Equal(["DELETE horizontalpodautoscalers/console-proxy", "PATCH consoleproxies/console/status", "PATCH deployments/console-proxy"], WrittenObjects.Of(await _cluster.WritesAsync()));
        Assert.Null(await _cluster.GetAsync(KnownResources.HorizontalPodAutoscaler, EntityJson.TypeInfo<V2HorizontalPodAutoscaler>(), "console-proxy"));
    }

    private static async Task<string> EgressAsync(ResourceClient<k8s.Models.V1NetworkPolicy> policies) =>
        System.Text.Json.JsonSerializer.SerializeToNode(await policies.GetAsync("console-proxy"), EntityJson.TypeInfo<V1NetworkPolicy>())!["spec"]!["egress"]!.ToJsonString();

    private async Task<string?> ConfigHashAsync()
    {
        var deployment = await _cluster.GetAsync(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "console-proxy");
        return deployment!.Spec!.Template!.Metadata!.Annotations![ConfigHash.AnnotationName];
    }
}
