using ConsoleOperator.Kube.Client;
using k8s;
using k8s.Exceptions;

namespace ConsoleOperator.Hosting;

/// <summary>
/// Where the operator finds its API server: the kubeconfig file it was given, else the pod's service account, else
/// KUBECONFIG or ~/.kube/config (client-go's order), all read by the KubernetesClient library (exec plugins, client
/// certificates, the service account token re-read each minute). Every failure becomes one message saying what to fix.
/// </summary>
public static class ClusterConfigurationLoader
{
    public static KubernetesClientConfiguration Load(string? kubeconfigPath, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        try
        {
            return KubernetesClient.RequireVerifiedTls(LoadUnchecked(kubeconfigPath, environment));
        }
        catch (Exception e) when (e is KubeConfigException or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            var source = string.IsNullOrWhiteSpace(kubeconfigPath) ? "the in-cluster service account or KUBECONFIG/~/.kube/config" : kubeconfigPath;
            throw new OperatorConfigurationException($"cannot load the cluster configuration from {source}: {e.Message}", e);
        }
    }

    private static KubernetesClientConfiguration LoadUnchecked(string? kubeconfigPath, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfigPath))
        {
            if (!File.Exists(kubeconfigPath))
            {
                throw new OperatorConfigurationException($"--kubeconfig {kubeconfigPath}: no such file");
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        // The library's default would fall back to http://localhost:8080 without credentials: refuse instead.
        if (string.IsNullOrWhiteSpace(environment("KUBECONFIG")) && !File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
        {
            throw new OperatorConfigurationException(
                $"no cluster configuration: not in a pod, KUBECONFIG unset and no {KubernetesClientConfiguration.KubeConfigDefaultLocation}; give --kubeconfig");
        }

        return KubernetesClientConfiguration.BuildDefaultConfig();
    }
}
