using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Hosting;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The TLS client towards VNC servers: the proxy's client certificate (re-read when its Secret is renewed, as the
/// serving certificate is) and a server certificate that must chain to the CA of `--target-ca` and carry the
/// target's name. nova checks the CA only; a stolen certificate of another compute node would pass there, not here.
/// </summary>
public sealed class TargetTlsClient(ReloadingCaBundle? trustedCa, ReloadingCertificate? clientCertificate)
{
    /// <summary>Completes TLS over <paramref name="transport"/> for <paramref name="serverName"/>, or says why not.</summary>
    public async Task<SslStream> AuthenticateAsync(Stream transport, string serverName, CancellationToken cancellationToken)
    {
        var trust = trustedCa?.Current;
        string? refusal = null;
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate.Current,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                refusal = Check(certificate as X509Certificate2, errors, serverName, trust);
                return refusal is null;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            if (refusal is not null)
            {
                throw new TargetSecurityException(refusal, $"TLS to the VNC server {serverName} refused: {refusal}", e);
            }

            throw new TargetSecurityException(
                "TLS handshake failed",
                $"TLS handshake with the VNC server {serverName} failed ({e.GetBaseException().Message}): does it trust the proxy's client certificate (--target-cert)?",
                e);
        }
    }

    /// <summary>Null when the certificate is good for <paramref name="serverName"/>; else why not, in a few words.</summary>
    private static string? Check(X509Certificate2? certificate, SslPolicyErrors errors, string serverName, X509Certificate2Collection? trust)
    {
        if (certificate is null)
        {
            return "the VNC server sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the VNC server's certificate is not for {serverName}";
        }

        if (trust is null)
        {
            return errors == SslPolicyErrors.None ? null : "the VNC server's certificate is not trusted";
        }

        // Our CA only, not the system's: a public CA must not vouch for a compute node.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) ? null : "the VNC server's certificate is not signed by --target-ca";
    }
}
