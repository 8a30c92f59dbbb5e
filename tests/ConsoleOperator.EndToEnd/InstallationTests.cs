using ConsoleOperator.EndToEnd.Cluster;

namespace ConsoleOperator.EndToEnd;

/// <summary>The install as README says: the operator's pod runs from the built image, Ready, as itself.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class InstallationTests(OperatorInstallation cluster)
{
    [Fact]
    public async Task The_operator_pod_is_Ready_under_its_own_ServiceAccount_and_holds_the_Lease()
    {
        var ready = await Eventually.GetAsync<IReadOnlyList<string>>(
            async () => await cluster.ReadyOperatorPodsAsync() is { Count: 1 } pods ? pods : null, "one operator pod is Ready", TimeSpan.FromSeconds(120));
        var pod = await cluster.Kubectl.GetJsonAsync("get", "pod", "-n", OperatorInstallation.Namespace, ready[0]);
        var spec = pod.GetProperty("spec");
        var container = spec.GetProperty("containers")[0];

        Assert.Equal("console-operator", spec.GetProperty("serviceAccountName").GetString());
        Assert.Equal($"ghcr.io/consoleoperator/console-operator:{ReleaseVersion()}", container.GetProperty("image").GetString());
        Assert.True(container.GetProperty("securityContext").GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.Equal(0, pod.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("restartCount").GetInt32());
        // The API server saw the pod's own ServiceAccount token: only a client that reached it in-cluster holds the Lease.
        await Eventually.TrueAsync(async () => await cluster.LeaseHolderAsync() == ready[0], $"{ready[0]} holds the Lease", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void The_install_applies_the_CRDs_RBAC_and_the_operator_from_operator_deploy()
    {
        foreach (var created in new[]
        {
            "namespace/console-operator", "customresourcedefinition.apiextensions.k8s.io/consoleproxies.consoleoperator.dev",
            "customresourcedefinition.apiextensions.k8s.io/consoletokens.consoleoperator.dev", "serviceaccount/console-operator",
            "clusterrole.rbac.authorization.k8s.io/console-operator", "deployment.apps/console-operator",
        })
        {
            Assert.Contains(created, cluster.InstallOutput, StringComparison.Ordinal);
        }
    }

    internal static string ReleaseVersion()
    {
        var props = File.ReadAllText(Path.Combine(EndToEndSettings.FromEnvironment().RepositoryRoot, "Directory.Build.props"));
        var start = props.IndexOf("<Version>", StringComparison.Ordinal) + "<Version>".Length;
        return props[start..props.IndexOf("</Version>", start, StringComparison.Ordinal)];
    }
}
