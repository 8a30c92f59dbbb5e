using System.Security.Cryptography.X509Certificates;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>
/// The configuration of a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, and the service account's token,
/// CA and namespace from the projected volume. The token is a <see cref="FileTokenSource"/>: bound tokens rotate.
/// </summary>
public static class InClusterConfiguration
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Whether this process runs in a pod with a mounted service account.</summary>
    public static bool IsAvailable(Func<string, string?>? environment = null, string serviceAccountDirectory = DefaultServiceAccountDirectory)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"))
            && File.Exists(Path.Combine(serviceAccountDirectory, "token"));
    }

    public static KubernetesClientConfiguration Load(
        Func<string, string?>? environment = null,
        string serviceAccountDirectory = DefaultServiceAccountDirectory,
        TimeProvider? timeProvider = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(port))
        {
            throw new InvalidOperationException("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        // An IPv6 service address needs brackets in a URL.
        var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        if (!Uri.TryCreate($"https://{hostPart}:{port}", UriKind.Absolute, out var server))
        {
            throw new InvalidOperationException($"KUBERNETES_SERVICE_HOST/PORT do not form a URL: {host}:{port}");
        }

        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new FileNotFoundException($"the service account token {tokenPath} is missing", tokenPath);
        }

        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{caPath} holds no PEM certificate");
        }

        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");
        var @namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : null;
        return new KubernetesClientConfiguration
        {
            Server = server,
            CertificateAuthorities = authorities,
            Token = new FileTokenSource(tokenPath, timeProvider ?? TimeProvider.System),
            Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace,
        };
    }

    /// <summary>In-cluster when available, else the kubeconfig (KUBECONFIG or ~/.kube/config), as client-go's default loading does.</summary>
    public static KubernetesClientConfiguration LoadDefault(Func<string, string?>? environment = null, TimeProvider? timeProvider = null) =>
        IsAvailable(environment)
            ? Load(environment, DefaultServiceAccountDirectory, timeProvider)
            : KubeConfig.LoadFromEnvironment(environment).ToClientConfiguration(null, timeProvider);
}
