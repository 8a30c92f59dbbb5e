using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Crds;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Install;

/// <summary>
/// operator/deploy installed with kubectl, and `console-operator run` as a process with a token of the ServiceAccount
/// it installs: reconciling a ConsoleProxy, minting, and revoking on delete all work with the ClusterRole's rights
/// alone, and nothing it does is forbidden.
/// </summary>
[Collection(RealApiServerCollection.Name)]
public sealed class OperatorUnderItsOwnRbacTests(RealApiServer cluster)
{
    private static readonly TimeSpan Reconcile = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_installed_operator_reconciles_mints_and_revokes_under_its_own_service_account()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var kubeconfig = await OperatorInstallation.InstallAsync(cluster, ct);
        await using var console = await ExternalStoreConsole.CreateAsync(cluster, "rbac", ct);
        await using var operatorProcess = OperatorInstallation.StartOperator(kubeconfig, options: "--leader-elect");
        string Log() => operatorProcess.Output;
        var ns = console.Namespace;

        // The ConsoleProxy: its owned objects (controller references to it) and a status for its generation.
        var proxies = CustomObjects.ConsoleProxies(cluster.Admin);
        var proxy = await Eventually.GetAsync(
            c => proxies.GetAsync(ns, ExternalStoreConsole.ProxyName, c),
            p => p["status"]?["observedGeneration"]?.GetValue<long>() == p["metadata"]!["generation"]!.GetValue<long>(),
            "the ConsoleProxy's status reports its generation", Reconcile, Log, ct);
        Assert.Equal("https://console.example.com", proxy["status"]!["url"]?.GetValue<string>());
        Assert.NotEmpty(proxy["status"]!["conditions"]!.AsArray());
        var ownedName = $"{ExternalStoreConsole.ProxyName}-proxy";
        AssertOwned((await cluster.Admin.AppsV1.ReadNamespacedDeploymentAsync(ownedName, ns, cancellationToken: ct)).Metadata, console.ProxyUid);
        AssertOwned((await cluster.Admin.CoreV1.ReadNamespacedServiceAsync(ownedName, ns, cancellationToken: ct)).Metadata, console.ProxyUid);
        AssertOwned((await cluster.Admin.CoreV1.ReadNamespacedConfigMapAsync(ownedName, ns, cancellationToken: ct)).Metadata, console.ProxyUid);
        AssertOwned((await cluster.Admin.CoreV1.ReadNamespacedServiceAccountAsync(ownedName, ns, cancellationToken: ct)).Metadata, console.ProxyUid);
        AssertOwned((await cluster.Admin.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(ownedName, ns, cancellationToken: ct)).Metadata, console.ProxyUid);
        AssertOwned((await cluster.Admin.NetworkingV1.ReadNamespacedNetworkPolicyAsync(ownedName, ns, cancellationToken: ct)).Metadata, console.ProxyUid);

        // A ConsoleToken: Active, its Secret holds the token and URL, and only the token's hash is in Redis.
        var tokens = CustomObjects.ConsoleTokens(cluster.Admin);
        await tokens.CreateAsync(ns, ExternalStoreConsole.Token("vm-1", 5901), ct);
        var active = await Eventually.GetAsync(
            c => tokens.GetAsync(ns, "vm-1", c),
            t => t["status"]?["phase"]?.GetValue<string>() == "Active",
            "the ConsoleToken is Active", Reconcile, Log, ct);
        Assert.Contains("consoleoperator.dev", active["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()).Single(), StringComparison.Ordinal);
        var secret = await cluster.Admin.CoreV1.ReadNamespacedSecretAsync(active["status"]!["secretName"]!.GetValue<string>(), ns, cancellationToken: ct);
        var token = Encoding.UTF8.GetString(secret.Data["token"]);
        var url = Encoding.UTF8.GetString(secret.Data["url"]);
        Assert.StartsWith("https://console.example.com/", url, StringComparison.Ordinal);
        Assert.Contains(token, Uri.UnescapeDataString(Uri.UnescapeDataString(url)), StringComparison.Ordinal);
        var key = await SingleTokenKeyAsync(console, token);
        Assert.NotNull(key);
        Assert.Equal(ExternalStoreConsole.TargetHost, await console.Redis.CommandAsync("HGET", key!, "host"));
        Assert.Equal("5901", await console.Redis.CommandAsync("HGET", key!, "port"));
        Assert.Equal($"{ns}/vm-1", await console.Redis.CommandAsync("HGET", key!, "owner"));

        // Deleting it revokes: the hash leaves Redis, the finalizer is removed, and the ConsoleToken is gone.
        await tokens.DeleteAsync(ns, "vm-1", ct);
        await Eventually.GetAsync(c => tokens.GetOrDefaultAsync(ns, "vm-1", c), t => t is null, "the deleted ConsoleToken is gone (finalizer removed)", Reconcile, Log, ct);
        Assert.Null(await SingleTokenKeyAsync(console, token));

        Assert.DoesNotContain("forbidden", Log(), StringComparison.OrdinalIgnoreCase);
        Assert.True(operatorProcess.HasExited is false, $"the operator exited early:\n{Log()}");
        var exitCode = await operatorProcess.TerminateAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{Log()}");
    }

    private static void AssertOwned(V1ObjectMeta metadata, string proxyUid)
    {
        var owner = Assert.Single(metadata.OwnerReferences ?? []);
        Assert.Equal(("ConsoleProxy", proxyUid, true), (owner.Kind, owner.Uid, owner.Controller ?? false));
    }

    /// <summary>The Redis key holding the token's record (`{prefix}token:{sha256 hex}`), or null when there is none.</summary>
    private static async Task<string?> SingleTokenKeyAsync(ExternalStoreConsole console, string token)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var keys = await console.Redis.CommandAsync("KEYS", $"*token:{hash}");
        var found = (keys ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(found.Length <= 1, $"more than one key for one token: {keys}");
        var all = await console.Redis.CommandAsync("KEYS", "*");
        Assert.DoesNotContain(token, all ?? "", StringComparison.Ordinal);
        return found.SingleOrDefault();
    }
}
