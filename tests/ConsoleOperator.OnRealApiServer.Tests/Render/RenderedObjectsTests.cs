using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Crds;
using ConsoleOperator.OnRealApiServer.Tests.Yaml;
using TestKit.Processes;
using TestKit.Repository;
using k8s.Autorest;

namespace ConsoleOperator.OnRealApiServer.Tests.Render;

/// <summary>
/// Every object the builders produce, as `console-operator render` prints it, is accepted by the real API server:
/// server-side apply, dryRun=All, strict field validation (an unknown or duplicate field is refused too).
/// </summary>
[Collection(RealApiServerCollection.Name)]
public sealed class RenderedObjectsTests(RealApiServer cluster)
{
    public static TheoryData<string, string, string> Proxies => new()
    {
        { "quickstart-managed.yaml", File.ReadAllText(Checkout.File("examples", "quickstart-managed.yaml")), "ServiceAccount ConfigMap Secret Service Deployment Deployment Service PodDisruptionBudget NetworkPolicy" },
        { "external-redis.yaml", File.ReadAllText(Checkout.File("examples", "external-redis.yaml")), "ServiceAccount ConfigMap Deployment Service PodDisruptionBudget NetworkPolicy" },
        { "external-sentinel.yaml", File.ReadAllText(Checkout.File("examples", "external-sentinel.yaml")), "ServiceAccount ConfigMap Deployment Service PodDisruptionBudget NetworkPolicy" },
        { "tls-allowed-origins.yaml", File.ReadAllText(Checkout.File("examples", "tls-allowed-origins.yaml")), "ServiceAccount ConfigMap Secret Service Deployment Deployment Service PodDisruptionBudget HorizontalPodAutoscaler NetworkPolicy" },
        { "every option, external store", EveryOptionProxies.External, "ServiceAccount ConfigMap Deployment Service PodDisruptionBudget NetworkPolicy" },
        { "every option, managed store", EveryOptionProxies.Managed, "ServiceAccount ConfigMap Secret Service Deployment Deployment Service PodDisruptionBudget HorizontalPodAutoscaler NetworkPolicy" },
        { "minimal", EveryOptionProxies.Minimal, "ServiceAccount ConfigMap Deployment Service PodDisruptionBudget NetworkPolicy" },
    };

    [Theory]
    [MemberData(nameof(Proxies))]
    public async Task Every_rendered_object_is_accepted_by_a_server_side_dry_run_apply(string proxy, string yaml, string expectedKinds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("render", timeout.Token);
        // The proxy itself must be one the CRD accepts, or the objects rendered from it prove nothing.
        await CustomObjects.ConsoleProxies(cluster.Admin).CreateAsync(ns, YamlDocuments.ParseSingle(yaml), timeout.Token, dryRun: true);
        var file = Path.Combine(cluster.Server.WorkDirectory, $"{ns}.yaml");
        await File.WriteAllTextAsync(file, yaml, timeout.Token);

        var rendered = await ConsoleOperatorCli.RunToCompletionAsync(["render", "-n", ns, "-f", file], timeout.Token);
        Assert.True(rendered.ExitCode == 0, $"{proxy}: render failed: {rendered}");

        var applied = new List<string>();
        foreach (var obj in YamlDocuments.Parse(rendered.Output))
        {
            try
            {
                applied.Add(await DryRunApply.ApplyAsync(cluster.Admin, obj, timeout.Token));
            }
            catch (HttpOperationException e)
            {
                Assert.Fail($"{proxy}: the API server refused {obj["kind"]} {obj["metadata"]?["name"]}: {(int)e.Response.StatusCode} {e.Response.Content}\n{obj.ToJsonString()}");
            }
        }

        Assert.Equal(expectedKinds, string.Join(' ', applied));
    }
}
