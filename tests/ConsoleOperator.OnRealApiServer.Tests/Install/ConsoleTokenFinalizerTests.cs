using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Crds;
using k8s;

namespace ConsoleOperator.OnRealApiServer.Tests.Install;

/// <summary>
/// The ConsoleToken finalizer as the runtime drives it, on the real API server under the operator's own ServiceAccount:
/// it is on every live token before the first reconcile (a token never minted, an ended one), and deleting such a
/// token runs the finalizer, which has nothing to revoke, removes it, and lets the object go.
/// </summary>
[Collection(RealApiServerCollection.Name)]
public sealed class ConsoleTokenFinalizerTests(RealApiServer cluster)
{
    private const string Finalizer = "consoleoperator.dev/revoke-token";
    private static readonly TimeSpan Reconcile = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tokens_that_were_never_minted_or_have_ended_carry_the_finalizer_and_are_let_go_on_deletion()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var kubeconfig = await OperatorInstallation.InstallAsync(cluster, ct);
        await using var console = await ExternalStoreConsole.CreateAsync(cluster, "finalizer", ct);
        await using var operatorProcess = OperatorInstallation.StartOperator(kubeconfig);
        string Log() => operatorProcess.Output;
        var ns = console.Namespace;
        var tokens = CustomObjects.ConsoleTokens(cluster.Admin);

        // Invalid (its proxy does not exist): nothing minted, yet the runtime put the finalizer on before reconciling.
        var nowhere = ExternalStoreConsole.Token("vm-nowhere", 5901);
        nowhere["spec"]!["proxyRef"]!["name"] = "no-such-proxy";
        await tokens.CreateAsync(ns, nowhere, ct);
        var invalid = await Eventually.GetAsync(
            c => tokens.GetAsync(ns, "vm-nowhere", c), t => t["status"]?["phase"]?.GetValue<string>() == "Invalid", "the token is Invalid", Reconcile, Log, ct);
        Assert.Equal([Finalizer], Finalizers(invalid));
        await tokens.DeleteAsync(ns, "vm-nowhere", ct);
        await Eventually.GetAsync(c => tokens.GetOrDefaultAsync(ns, "vm-nowhere", c), t => t is null, "the deleted Invalid token is gone", Reconcile, Log, ct);

        // Revoked because its Secret was deleted: the hash leaves Redis, the Secret goes, the token keeps the finalizer.
        await tokens.CreateAsync(ns, ExternalStoreConsole.Token("vm-ended", 5902), ct);
        var active = await Eventually.GetAsync(
            c => tokens.GetAsync(ns, "vm-ended", c), t => t["status"]?["phase"]?.GetValue<string>() == "Active", "the token is Active", Reconcile, Log, ct);
        var secretName = active["status"]!["secretName"]!.GetValue<string>();
        Assert.Single(await TokenKeysAsync(console));
        await cluster.Admin.CoreV1.DeleteNamespacedSecretAsync(secretName, ns, cancellationToken: ct);
        var revoked = await Eventually.GetAsync(
            c => tokens.GetAsync(ns, "vm-ended", c), t => t["status"]?["phase"]?.GetValue<string>() == "Revoked", "the token is Revoked", Reconcile, Log, ct);
        Assert.Equal("SecretDeleted", revoked["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["reason"]!.GetValue<string>());
        Assert.Empty(await TokenKeysAsync(console));
        await Eventually.GetAsync(
            async c => (await cluster.Admin.CoreV1.ListNamespacedSecretAsync(ns, fieldSelector: $"metadata.name={secretName}", cancellationToken: c)).Items.Count,
            count => count == 0, "the token's Secret is gone (its finalizer released)", Reconcile, Log, ct);
        Assert.Equal([Finalizer], Finalizers(revoked));

        await tokens.DeleteAsync(ns, "vm-ended", ct);
        await Eventually.GetAsync(c => tokens.GetOrDefaultAsync(ns, "vm-ended", c), t => t is null, "the deleted Revoked token is gone", Reconcile, Log, ct);

        Assert.DoesNotContain("forbidden", Log(), StringComparison.OrdinalIgnoreCase);
        var exitCode = await operatorProcess.TerminateAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{Log()}");
    }

    private static string[] Finalizers(JsonObject token) =>
        [.. token["metadata"]!["finalizers"]?.AsArray().Select(f => f!.GetValue<string>()) ?? []];

    /// <summary>The token keys in the proxy's Redis, without the operator's marker entry (the all-zero hash).</summary>
    private static async Task<string[]> TokenKeysAsync(ExternalStoreConsole console) =>
        [.. ((await console.Redis.CommandAsync("KEYS", "*token:*")) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(key => !key.EndsWith(new string('0', 64), StringComparison.Ordinal))];
}
