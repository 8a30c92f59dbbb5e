using System.Globalization;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;

namespace ConsoleOperator.OnRealApiServer.Tests.Crds;

/// <summary>What `kubectl get` shows for our kinds, from the CRDs' printer columns, as a person reads it.</summary>
[Collection(RealApiServerCollection.Name)]
public sealed class PrinterColumnTests(RealApiServer cluster)
{
    [Fact]
    public async Task Kubectl_get_ctoken_shows_when_access_ends_not_invalid()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("columns", timeout.Token);
        var created = await CustomObjects.ConsoleTokens(cluster.Admin).CreateAsync(ns, await CrdValidationTests.ExampleAsync("console-token.yaml", timeout.Token), timeout.Token);
        var name = created["metadata"]!["name"]!.GetValue<string>();
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        var patched = await cluster.Kubectl.RunAsync(timeout.Token, "patch", "consoletoken", name, "-n", ns, "--subresource=status", "--type=merge",
            "-p", $$$"""{"status":{"phase":"Active","expiresAt":"{{{expiresAt}}}"}}""");
        var shown = await cluster.Kubectl.RunAsync(timeout.Token, "get", "ctoken", name, "-n", ns);

        Assert.True(patched.ExitCode == 0, patched.ToString());
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("EXPIRES", shown.Output, StringComparison.Ordinal);
        // spec.kind is defaulted by the CRD, so a ConsoleToken written before kinds existed shows vnc.
        Assert.Contains("KIND", shown.Output, StringComparison.Ordinal);
        Assert.Contains(" vnc ", shown.Output, StringComparison.Ordinal);
        Assert.Contains(expiresAt, shown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("<invalid>", shown.Output, StringComparison.Ordinal);
    }
}
