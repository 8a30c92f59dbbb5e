using ConsoleOperator.Kube.Client;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>The elector's lease on the fake API server, through our client: the writes and refusals it relies on.</summary>
public sealed class LeaseOnApiServerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_elector_creates_the_missing_lease_in_its_namespace_with_micro_times_and_releases_it()
    {
        await using var cluster = await TestCluster.StartAsync();
        var clock = new ManualTimeProvider(Now.AddTicks(1234567));
        var elector = new LeaderElector(Leases(cluster), "op", new LeaderElectionOptions { Identity = "a" }, clock);
        var led = new TaskCompletionSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await elector.RunAsync(_ => { led.TrySetResult(); return Task.CompletedTask; }, stop.Token);

        Assert.True(led.Task.IsCompleted);
        var request = (await cluster.SettledRequestsAsync()).Single(r => r.Method == "POST" && r.Path.EndsWith("/leases", StringComparison.Ordinal));
        Assert.Contains("\"holderIdentity\":\"a\"", request.Body!, StringComparison.Ordinal);
        Assert.Contains("\"acquireTime\":\"2026-11-20T12:00:00.123456Z\"", request.Body!, StringComparison.Ordinal);

        // Released on the way out: same object, no holder, the acquire time kept to the microsecond.
        var lease = await Leases(cluster).GetAsync("op");
        Assert.Equal(("op", TestCluster.Namespace, null), (lease.Metadata.Name, lease.Metadata.NamespaceProperty, lease.Spec.HolderIdentity));
        Assert.Equal(Now.AddTicks(1234560).UtcDateTime, lease.Spec.AcquireTime);
    }

    [Fact]
    public async Task Creating_a_lease_that_exists_is_AlreadyExists()
    {
        await using var cluster = await TestCluster.StartAsync();
        await Leases(cluster).CreateAsync(Lease("a", Now, 0), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => Leases(cluster).CreateAsync(Lease("b", Now, 0), CancellationToken.None));
        Assert.True(refused.IsAlreadyExists);
    }

    [Fact]
    public async Task A_replace_from_a_stale_resource_version_is_a_conflict_and_a_fresh_one_succeeds()
    {
        await using var cluster = await TestCluster.StartAsync();
        var a = Leases(cluster);
        var b = Leases(cluster);
        var created = await a.CreateAsync(Lease("a", Now, 0), CancellationToken.None);
        var renewed = await a.ReplaceAsync(Lease("a", Now.AddSeconds(2), 0, created.Metadata.ResourceVersion), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => b.ReplaceAsync(Lease("b", Now.AddSeconds(3), 1, created.Metadata.ResourceVersion), CancellationToken.None));
        Assert.True(refused.IsConflict);
        var taken = await b.ReplaceAsync(Lease("b", Now.AddSeconds(3), 1, renewed.Metadata.ResourceVersion), CancellationToken.None);

        Assert.Equal(("b", 1), (taken.Spec.HolderIdentity, taken.Spec.LeaseTransitions));
        Assert.NotEqual(renewed.Metadata.ResourceVersion, taken.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Labels_of_the_lease_survive_the_electors_renewals()
    {
        await using var cluster = await TestCluster.StartAsync();
        var leases = Leases(cluster);
        await leases.CreateAsync(new V1Lease { Metadata = new() { Name = "op", NamespaceProperty = TestCluster.Namespace, Labels = new Dictionary<string, string> { ["app"] = "op" } }, Spec = new() { HolderIdentity = "a", LeaseDurationSeconds = 15 } });
        var elector = new LeaderElector(leases, "op", new LeaderElectionOptions { Identity = "a", JitterFactor = 0 }, TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var led = new TaskCompletionSource();

        // The elector renews a's lease (a replace from the lease it read), then releases it on the way out: two writes.
        await elector.RunAsync(_ => { led.TrySetResult(); return Task.CompletedTask; }, stop.Token);

        Assert.True(led.Task.IsCompleted);
        var lease = await leases.GetAsync("op");
        Assert.Equal("op", lease.Metadata.Labels!["app"]);
        Assert.Null(lease.Spec.HolderIdentity);
    }

    [Fact]
    public void A_lease_client_without_a_namespace_or_a_lease_name_is_refused()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var options = new LeaderElectionOptions { Identity = "a" };
        Assert.Throws<ArgumentException>(() => new LeaderElector(client.Resource<V1Lease>(), "op", options, TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new LeaderElector(client.Resource<V1Lease>("ns"), " ", options, TimeProvider.System));
    }

    private static ResourceClient<V1Lease> Leases(TestCluster cluster) => cluster.Client.Resource<V1Lease>(TestCluster.Namespace);

    private static V1Lease Lease(string holder, DateTimeOffset at, int transitions, string? resourceVersion = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "op", ResourceVersion = resourceVersion },
        Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15, AcquireTime = at.UtcDateTime, RenewTime = at.UtcDateTime, LeaseTransitions = transitions },
    };
}
