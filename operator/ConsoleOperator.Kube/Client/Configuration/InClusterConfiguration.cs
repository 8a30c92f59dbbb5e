using k8s;

namespace ConsoleOperator.Kube.Client.Configuration;

/// <summary>
/// The library's configuration for a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, and the service account's
/// CA and namespace from the projected volume. Ours rather than the library's InClusterConfig because that one reads
/// the process environment and a fixed directory (so it cannot be tested) and its token reader cannot re-read after
/// a 401; the token here is a <see cref="FileTokenProvider"/>.
/// </summary>
public static class InClusterConfiguration
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Whether this process runs in a pod with a mounted service account.</summary>
    public static bool IsAvailable(Func<string, string?> environment, string serviceAccountDirectory = DefaultServiceAccountDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"))
            && File.Exists(Path.Combine(serviceAccountDirectory, "token"));
    }

    public static KubernetesClientConfiguration Load(Func<string, string?> environment, string serviceAccountDirectory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(port))
        {
            throw new InvalidOperationException("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var portNumber))
        {
            throw new InvalidOperationException($"KUBERNETES_SERVICE_PORT is not a port number: {port}");
        }

        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new FileNotFoundException($"the service account token {tokenPath} is missing", tokenPath);
        }

        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        authorities.ImportFromPemFile(caPath);
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{caPath} holds no PEM certificate");
        }

        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");
        var @namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : null;
        return new KubernetesClientConfiguration
        {
            // UriBuilder brackets an IPv6 service address.
            Host = new UriBuilder(Uri.UriSchemeHttps, host, portNumber).Uri.ToString(),
            SslCaCerts = authorities,
            TokenProvider = new FileTokenProvider(tokenPath, timeProvider),
            Namespace = string.IsNullOrEmpty(@namespace) ? null : @namespace,
        };
    }
}
