using System.Security.Cryptography.X509Certificates;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>
/// Everything needed to reach and authenticate to one API server, whether it came from a kubeconfig or from the
/// in-cluster service account. There is deliberately no "insecure" switch: TLS is always verified.
/// </summary>
public sealed record KubernetesClientConfiguration
{
    public required Uri Server { get; init; }

    /// <summary>The only trust anchors for the server certificate; null means the system's trusted roots.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>The name the server certificate must carry when it differs from the server URL's host.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>A client certificate with its private key.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    public ITokenSource? Token { get; init; }

    /// <summary>The default namespace (context namespace, or the service account's namespace).</summary>
    public string? Namespace { get; init; }

    /// <summary>The host name the server certificate is checked against.</summary>
    public string ExpectedServerName => string.IsNullOrEmpty(TlsServerName) ? Server.IdnHost : TlsServerName;
}
