using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using TestKit.Kubernetes;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Install;

/// <summary>
/// operator/deploy as a user installs it (`kubectl apply -k`), and a kubeconfig for the operator's own ServiceAccount
/// (a TokenRequest, as the kubelet would project it), so what runs with it has exactly the ClusterRole's rights.
/// </summary>
public static class OperatorInstallation
{
    public const string Namespace = "console-operator";
    public const string ServiceAccount = "console-operator";
    public const string LeaseName = "console-operator-leader";

    public static async Task ApplyAsync(RealApiServer cluster, CancellationToken cancellationToken)
    {
        var applied = await cluster.Kubectl.RunAsync(cancellationToken, "apply", "-k", "operator/deploy");
        Assert.True(applied.ExitCode == 0, $"kubectl apply -k operator/deploy failed: {applied}");
        foreach (var crd in new[] { "consoleproxies.consoleoperator.dev", "consoletokens.consoleoperator.dev" })
        {
            await cluster.WaitUntilEstablishedAsync(crd, cancellationToken);
        }
    }

    /// <summary>Writes a kubeconfig holding a fresh token of the operator's ServiceAccount and checks who it is.</summary>
    public static async Task<string> ServiceAccountKubeconfigAsync(RealApiServer cluster, CancellationToken cancellationToken)
    {
        var request = await cluster.Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest
            {
                Spec = new V1TokenRequestSpec { Audiences = [TestApiServer.ServiceAccountIssuer], ExpirationSeconds = 3600 },
            },
            ServiceAccount, Namespace, cancellationToken: cancellationToken);
        var path = Path.Combine(cluster.Server.WorkDirectory, $"operator-{Guid.NewGuid():N}.kubeconfig");
        await Kubeconfig.WriteAsync(path, cluster.Server.Server, cluster.Server.CaPem, ServiceAccount, request.Status.Token, cancellationToken);

        var whoami = await new Kubectl(cluster.Server.Assets, path).RunAsync(cancellationToken, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        Assert.True(whoami.ExitCode == 0, $"kubectl auth whoami: {whoami}");
        Assert.Equal($"system:serviceaccount:{Namespace}:{ServiceAccount}", whoami.Output);
        return path;
    }
}
