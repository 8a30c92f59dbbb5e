using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleOperator.Kube.Client.Http;

/// <summary>
/// Verifies the API server's certificate: the chain must end at one of the configured CAs (custom root trust, so
/// the machine's trust store plays no part) and the leaf must carry the expected name (tls-server-name, else the
/// URL host). The host name is checked here and not by SslStream because the handler sends the URL host as SNI
/// and would compare against that, ignoring tls-server-name.
/// </summary>
public sealed class ServerCertificateValidator
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly string _expectedName;

    public ServerCertificateValidator(X509Certificate2Collection? authorities, string expectedName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedName);
        _authorities = authorities is { Count: > 0 } ? authorities : null;
        _expectedName = expectedName;
    }

    public bool Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        if (!leaf.MatchesHostname(_expectedName, allowWildcards: true, allowCommonName: false))
        {
            return false;
        }

        if (_authorities is null)
        {
            // No CA configured: the platform already built the chain against the system roots.
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        if (presentedChain is not null)
        {
            // Intermediates the server sent may complete the path; they are never trusted as roots.
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
