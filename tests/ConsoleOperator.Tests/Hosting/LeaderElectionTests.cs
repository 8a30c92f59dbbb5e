using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Metrics;
using TestKit.Polling;
using TestKit.Processes;
using ConsoleOperator.Tests.Builders;
using ConsoleOperator.Tests.ConsoleProxies;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Tests.Hosting;

public sealed class LeaderElectionTests
{
    [Fact]
    public async Task Of_two_operators_only_the_leader_writes_and_the_other_takes_over_when_it_stops()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var first = Operator(cluster, "operator-a");
        await using var second = Operator(cluster, "operator-b");
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var runFirst = Task.Run(() => first.Manager.RunAsync(stopFirst.Token));
        await Poll.UntilAsync(() => first.Manager.IsLeading, "the first operator leads");
        var runSecond = Task.Run(() => second.Manager.RunAsync(stopSecond.Token));
        try
        {
            await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
            await Poll.UntilAsync(async () => (await cluster.GetProxyAsync()).Status?.ObservedGeneration == 1, "the leader reconciles the proxy");

            Assert.False(second.Manager.IsLeading);
            Assert.Contains("PATCH deployments/console-proxy", WrittenObjects.Of(await cluster.WritesAsync("operator-a/1.0")));
            Assert.Empty(await cluster.WritesAsync("operator-b/1.0"));

            // The leader stops (SIGTERM): it releases the lease, and the standby takes over well before it would expire.
            await stopFirst.CancelAsync();
            await runFirst.WaitAsync(TimeSpan.FromSeconds(15));
            await Poll.UntilAsync(() => second.Manager.IsLeading, "the second operator takes over", TimeSpan.FromSeconds(10));
            await cluster.UpdateSpecAsync("console", spec => spec with { Replicas = 4 });

            var deployments = cluster.Resource(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>());
            await Poll.UntilAsync(async () => (await deployments.GetAsync("console-proxy")).Spec?.Replicas == 4, "the new leader applies the change");
            Assert.Contains("PATCH deployments/console-proxy", WrittenObjects.Of(await cluster.WritesAsync("operator-b/1.0")));
            var lease = await cluster.Kubectl.Resource<k8s.Models.V1Lease>("default").GetAsync(OperatorSettings.DefaultLeaseName);
            Assert.Equal("operator-b", lease.Spec?.HolderIdentity);
        }
        finally
        {
            await stopFirst.CancelAsync();
            await stopSecond.CancelAsync();
            await Task.WhenAll(runFirst, runSecond).WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    private static OperatorRuntime Operator(ProxyTestCluster cluster, string identity) => OperatorRuntime.Create(
        cluster.NewClient(identity + "/1.0"),
        new OperatorSettings
        {
            Identity = identity,
            LeaderElect = true,
            LeaseNamespace = "default",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(500),
            Defaults = SampleProxies.Defaults,
        },
        new MetricsRegistry(),
        TimeProvider.System,
        NullLoggerFactory.Instance);
}
