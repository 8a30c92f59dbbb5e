using ConsoleOperator.Kube.Client;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Leases;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Leases;

public sealed class KubernetesLeaseStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_missing_lease_reads_as_null_and_is_created_with_micro_times()
    {
        await using var cluster = await TestCluster.StartAsync();
        var store = Store(cluster);

        Assert.Null(await store.GetAsync(CancellationToken.None));
        var acquired = Now.AddTicks(1234567);
        var created = await store.CreateAsync(new LeaseRecord("a", 15, acquired, acquired, 0), CancellationToken.None);

        Assert.Equal("a", created.HolderIdentity);
        Assert.Equal(MicroTime.Truncate(acquired), created.AcquireTime);
        Assert.False(string.IsNullOrEmpty(created.ResourceVersion));
        var request = (await cluster.SettledRequestsAsync()).Single(r => r.Method == "POST" && r.Path.EndsWith("/leases", StringComparison.Ordinal));
        Assert.Contains("\"acquireTime\":\"2026-11-20T12:00:00.123456Z\"", request.Body!, StringComparison.Ordinal);
        Assert.Equal(created, await store.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Creating_a_lease_that_exists_is_a_lease_conflict()
    {
        await using var cluster = await TestCluster.StartAsync();
        await Store(cluster).CreateAsync(new LeaseRecord("a", 15, Now, Now, 0), CancellationToken.None);

        await Assert.ThrowsAsync<LeaseConflictException>(() => Store(cluster).CreateAsync(new LeaseRecord("b", 15, Now, Now, 0), CancellationToken.None));
    }

    [Fact]
    public async Task An_update_from_a_stale_resource_version_is_a_lease_conflict_and_a_fresh_one_succeeds()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = Store(cluster);
        var b = Store(cluster);
        var created = await a.CreateAsync(new LeaseRecord("a", 15, Now, Now, 0), CancellationToken.None);
        var renewed = await a.UpdateAsync(new LeaseRecord("a", 15, Now, Now.AddSeconds(2), 0), created.ResourceVersion, CancellationToken.None);

        await Assert.ThrowsAsync<LeaseConflictException>(() => b.UpdateAsync(new LeaseRecord("b", 15, Now, Now.AddSeconds(3), 1), created.ResourceVersion, CancellationToken.None));
        var taken = await b.UpdateAsync(new LeaseRecord("b", 15, Now.AddSeconds(3), Now.AddSeconds(3), 1), renewed.ResourceVersion, CancellationToken.None);

        Assert.Equal(("b", 1), (taken.HolderIdentity, taken.LeaseTransitions));
        Assert.NotEqual(renewed.ResourceVersion, taken.ResourceVersion);
    }

    [Fact]
    public async Task Labels_of_the_lease_survive_renewals()
    {
        await using var cluster = await TestCluster.StartAsync();
        var leases = Leases(cluster);
        await leases.CreateAsync(new V1Lease { Metadata = new() { Name = "op", NamespaceProperty = TestCluster.Namespace, Labels = new Dictionary<string, string> { ["app"] = "op" } }, Spec = new() { HolderIdentity = "a", LeaseDurationSeconds = 15 } });
        var store = new KubernetesLeaseStore(leases, "op");
        var current = await store.GetAsync(CancellationToken.None);

        await store.UpdateAsync(new LeaseRecord("a", 15, Now, Now, 0), current!.ResourceVersion, CancellationToken.None);

        Assert.Equal("op", (await leases.GetAsync("op")).Metadata.Labels!["app"]);
    }

    [Fact]
    public void A_lease_client_without_a_namespace_is_refused()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        Assert.Throws<ArgumentException>(() => new KubernetesLeaseStore(new EntityClient<V1Lease>(client, null), "op"));
    }

    private static EntityClient<V1Lease> Leases(TestCluster cluster) => new(cluster.Client, TestCluster.Namespace);

    private static KubernetesLeaseStore Store(TestCluster cluster) => new(Leases(cluster), "op");
}
