using ConsoleOperator.Kube.Client.Configuration;
using k8s;
using k8s.Exceptions;

namespace ConsoleOperator.Hosting;

/// <summary>
/// Where the operator finds its API server: the kubeconfig file it was given, else the pod's service account, else
/// KUBECONFIG or ~/.kube/config (client-go's order). Every failure becomes one message saying what to fix.
/// </summary>
public static class ClusterConfigurationLoader
{
    public static KubernetesClientConfiguration Load(string? kubeconfigPath, Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            if (!string.IsNullOrWhiteSpace(kubeconfigPath))
            {
                if (!File.Exists(kubeconfigPath))
                {
                    throw new OperatorConfigurationException($"--kubeconfig {kubeconfigPath}: no such file");
                }

                return Kubeconfig.LoadFiles([kubeconfigPath], null, time);
            }

            return InClusterConfiguration.IsAvailable(environment)
                ? InClusterConfiguration.Load(environment, InClusterConfiguration.DefaultServiceAccountDirectory, time)
                : Kubeconfig.LoadFromEnvironment(environment, time);
        }
        catch (Exception e) when (e is KubeConfigException or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            var source = string.IsNullOrWhiteSpace(kubeconfigPath) ? "the in-cluster service account or KUBECONFIG/~/.kube/config" : kubeconfigPath;
            throw new OperatorConfigurationException($"cannot load the cluster configuration from {source}: {e.Message}", e);
        }
    }
}
