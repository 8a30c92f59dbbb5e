using System.Security.Cryptography.X509Certificates;

namespace TestKit.Replay;

/// <summary>Transport of the replay server: plain HTTP/1.1 by default, or TLS (HTTP/1.1 and HTTP/2 via ALPN).</summary>
public sealed record ReplayServerOptions
{
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>When set, a client certificate is required and must chain to one of these.</summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }
}
