using System.Net;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using TestKit.Kubernetes;
using TestKit.Network;
using TestKit.Processes;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Install;

/// <summary>
/// operator/deploy as a user installs it (`kubectl apply -k`), and a kubeconfig for the operator's own ServiceAccount
/// (a TokenRequest, as the kubelet would project it), so what runs with it has exactly the ClusterRole's rights; and
/// `console-operator run` started with it, as its pod would run. Every test of the installed operator begins with
/// <see cref="InstallAsync"/> and <see cref="StartOperator"/>.
/// </summary>
public static class OperatorInstallation
{
    public const string Namespace = "console-operator";
    public const string ServiceAccount = "console-operator";
    public const string LeaseName = "console-operator-leader";

    /// <summary>Applies operator/deploy and returns a kubeconfig of the operator's ServiceAccount (what <see cref="StartOperator"/> runs with).</summary>
    public static async Task<string> InstallAsync(RealApiServer cluster, CancellationToken cancellationToken)
    {
        await ApplyAsync(cluster, cancellationToken);
        return await ServiceAccountKubeconfigAsync(cluster, cancellationToken);
    }

    /// <summary>
    /// `console-operator run` with <paramref name="kubeconfig"/> as the pod <paramref name="podName"/> in the operator's
    /// namespace would run it (metrics on a free loopback port), with any further options.
    /// </summary>
    public static ChildProcess StartOperator(string kubeconfig, string podName = "console-operator-0", params string[] options) =>
        ConsoleOperatorCli.StartRun(kubeconfig, podName, Namespace, FreeTcpPort.Next(IPAddress.Loopback), options);

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
