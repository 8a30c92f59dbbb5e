using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Election;
using TestKit.Polling;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>
/// Two replicas of the widget operator against one fake API server, electing a leader on a real Lease through
/// our client (fast timings in real time: 2 s lease, 1 s renew deadline, 200 ms retry).
/// The elector's own timing rules are tested under a fake clock in Runtime/Election.
/// </summary>
public sealed class LeaderElectionScenarioTests
{
    [Fact]
    public async Task Only_the_leader_reconciles_and_a_released_lease_hands_over_to_the_standby_at_once()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var a = Replica(cluster, "a").Start();
        await Poll.UntilAsync(() => a.Manager.IsLeading && a.Controller.IsRunning, "a leads");
        await Poll.UntilAsync(() => ReconcileScenarioTests.IsConvergedAsync(cluster, "w1"), "a reconciles w1");

        await using var b = Replica(cluster, "b").Start();
        await Poll.UntilAsync(() => b.Manager.IsReady, "b's caches are warm");
        await Task.Delay(500);
        Assert.False(b.Manager.IsLeading);
        Assert.False(b.Controller.IsRunning);
        Assert.Equal(0, b.Reconciler.Reconciles);

        var stoppedAt = DateTime.UtcNow;
        await a.StopAsync();
        Assert.False(a.Controller.IsRunning);

        await Poll.UntilAsync(() => b.Controller.IsRunning, "b takes over");
        // Released on shutdown: b need not wait for the 2 s lease to expire.
        Assert.True(DateTime.UtcNow - stoppedAt < TimeSpan.FromSeconds(1.8), $"took {DateTime.UtcNow - stoppedAt}");
        await cluster.CreateWidgetAsync("w2");
        await Poll.UntilAsync(() => ReconcileScenarioTests.IsConvergedAsync(cluster, "w2"), "b reconciles w2");
        var lease = await cluster.Client.Resource<V1Lease>(TestCluster.Namespace).GetAsync("widget-operator");
        Assert.Equal("b", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_stops_its_workers_before_the_standby_takes_over()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var a = Replica(cluster, "a").Start();
        await Poll.UntilAsync(() => a.Controller.IsRunning, "a leads");
        await using var b = Replica(cluster, "b").Start();
        await Poll.UntilAsync(() => b.Manager.IsReady, "b's caches are warm");

        // a's lease requests fail from now on (its API server connection is broken for leases only).
        cluster.Server.Faults.FailNextRequests(100_000, 503, "ServiceUnavailable", "unavailable", r => r.UserAgent == "replica-a/1.0" && r.Path.Contains("/leases", StringComparison.Ordinal));
        DateTime? aStopped = null;
        DateTime? bStarted = null;
        await Poll.UntilAsync(
            () =>
            {
                aStopped ??= a.Controller.IsRunning ? null : DateTime.UtcNow;
                bStarted ??= b.Controller.IsRunning ? DateTime.UtcNow : null;
                return aStopped is not null && bStarted is not null;
            },
            "a stops and b starts",
            TimeSpan.FromSeconds(15));

        Assert.True(aStopped < bStarted, "a's workers stopped before b's started");
        Assert.False(a.Manager.IsLeading);
        var aReconciles = a.Reconciler.Reconciles;
        await cluster.CreateWidgetAsync("w2");
        await Poll.UntilAsync(() => ReconcileScenarioTests.IsConvergedAsync(cluster, "w2"), "b reconciles w2");
        Assert.Equal(aReconciles, a.Reconciler.Reconciles);
        Assert.True(b.Reconciler.Reconciles > 0);
    }

    private static WidgetOperator Replica(TestCluster cluster, string identity)
    {
        var client = cluster.NewClient($"replica-{identity}/1.0");
        var elector = new LeaderElector(
            client.Resource<V1Lease>(TestCluster.Namespace),
            "widget-operator",
            new LeaderElectionOptions { Identity = identity, LeaseDuration = TimeSpan.FromSeconds(2), RenewDeadline = TimeSpan.FromSeconds(1), RetryPeriod = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System);
        return new WidgetOperator(cluster, client, elector);
    }
}
