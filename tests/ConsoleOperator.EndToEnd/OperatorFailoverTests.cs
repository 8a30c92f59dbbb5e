using ConsoleOperator.EndToEnd.Cluster;

namespace ConsoleOperator.EndToEnd;

/// <summary>The operator pod is deleted: its successor takes the Lease and carries on. Deleting a ConsoleProxy
/// leaves nothing of what it owned (garbage collection by owner references).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OperatorFailoverTests(OperatorInstallation cluster)
{
    private const string OwnedKinds = "deployments,services,configmaps,secrets,serviceaccounts,poddisruptionbudgets,networkpolicies,horizontalpodautoscalers";

    private string? _proxyUid;

    [Fact]
    public async Task Deleting_the_operator_pod_a_new_one_takes_the_Lease_and_carries_on_and_deleting_the_ConsoleProxy_removes_what_it_owned()
    {
        await using var fleet = await ProxyFleet.CreateAsync(cluster, "failover");
        var old = Assert.Single(await cluster.ReadyOperatorPodsAsync());

        await cluster.Kubectl.OutputAsync("delete", "pod", "-n", OperatorInstallation.Namespace, old, "--wait=false");

        var successor = await Eventually.GetAsync<string>(async () =>
        {
            var ready = (await cluster.ReadyOperatorPodsAsync()).Where(p => p != old).ToList();
            return ready.Count == 1 && await cluster.LeaseHolderAsync() == ready[0] ? ready[0] : null;
        }, "a new operator pod is Ready and holds the Lease", TimeSpan.FromSeconds(120));
        Assert.NotEqual(old, successor);
        // Carries on: a token created now is reconciled by the new leader.
        Assert.Contains("token%3D", await fleet.CreateTokenAsync("after-failover"), StringComparison.Ordinal);

        var owned = await OwnedObjectsAsync(fleet);
        Assert.Contains($"Deployment/{fleet.ProxyDeployment}", owned);
        Assert.Contains($"Deployment/{fleet.RedisDeployment}", owned);
        Assert.Contains($"Service/{fleet.ProxyDeployment}", owned);
        Assert.Contains($"ConfigMap/{fleet.ProxyDeployment}", owned);

        await cluster.Kubectl.OutputAsync("delete", "consoleproxy", "-n", fleet.Namespace, fleet.Name, "--wait=false");

        await Eventually.TrueAsync(async () => (await OwnedObjectsAsync(fleet)).Count == 0
            && (await fleet.PodsAsync("proxy")).Count == 0 && (await fleet.PodsAsync("token-store")).Count == 0,
            "everything the ConsoleProxy owned is gone", TimeSpan.FromSeconds(120));
    }

    /// <summary>Objects whose owner reference names this ConsoleProxy (the token Secrets belong to their ConsoleTokens).</summary>
    private async Task<IReadOnlyList<string>> OwnedObjectsAsync(ProxyFleet fleet)
    {
        var proxy = await cluster.Kubectl.FindJsonAsync("get", "consoleproxy", "-n", fleet.Namespace, fleet.Name);
        _proxyUid ??= proxy?.GetProperty("metadata").GetProperty("uid").GetString();
        var objects = await cluster.Kubectl.GetJsonAsync("get", OwnedKinds, "-n", fleet.Namespace);
        return [.. objects.GetProperty("items").EnumerateArray()
            .Where(o => o.GetProperty("metadata").TryGetProperty("ownerReferences", out var owners)
                && owners.EnumerateArray().Any(r => r.GetProperty("uid").GetString() == _proxyUid))
            .Select(o => $"{o.GetProperty("kind").GetString()}/{o.GetProperty("metadata").GetProperty("name").GetString()}")];
    }
}
