using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Reloading;

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

    /// <summary>
    /// The anonymous Diffie-Hellman suites VeNCrypt's TLSNone and TLSVnc need (GnuTLS's ANON-DH / ANON-ECDH, as QEMU's
    /// tls-creds-anon offers), authenticated encryption only: never a null cipher.
    /// </summary>
    private static readonly TlsCipherSuite[] AnonymousSuites =
    [
        TlsCipherSuite.TLS_DH_anon_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_256_CBC_SHA256,
        TlsCipherSuite.TLS_DH_anon_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDH_anon_WITH_AES_256_CBC_SHA,
        TlsCipherSuite.TLS_ECDH_anon_WITH_AES_128_CBC_SHA,
    ];

    /// <summary>
    /// Anonymous TLS 1.2 (VeNCrypt TLSNone / TLSVnc) over <paramref name="transport"/>: encrypted, but no certificate
    /// on either side, so it proves nothing about who the server is; only reached when `vencrypt-anon` is allowed.
    /// </summary>
    public static async Task<SslStream> AuthenticateAnonymousAsync(Stream transport, string serverName, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            // SChannel takes no cipher suite list; the proxy's image is Linux (OpenSSL).
            throw new TargetSecurityException("anonymous TLS needs the proxy on Linux", "VeNCrypt TLSNone/TLSVnc need anonymous cipher suites, which .NET sets only on Linux and macOS (OpenSSL)");
        }

        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            // TLS 1.3 has no anonymous suites.
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy(AnonymousSuites),
            // OpenSSL refuses every aNULL suite above security level 0, and on Linux this policy is the one way .NET
            // sets level 0 for a single connection (measured on OpenSSL 3.0: without it, "no ciphers available").
            // The null-encryption suites it would also allow are not in the CipherSuitesPolicy above, and the suite
            // negotiated is checked below all the same.
#pragma warning disable SYSLIB0040
            EncryptionPolicy = EncryptionPolicy.AllowNoEncryption,
#pragma warning restore SYSLIB0040
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // An anonymous suite has no server certificate to check; the subtype the user allowed says so.
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is null,
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new TargetSecurityException(
                "anonymous TLS handshake failed",
                $"anonymous TLS (VeNCrypt TLSNone/TLSVnc) with the VNC server {serverName} failed: {e.GetBaseException().Message}",
                e);
        }

        if (!AnonymousSuites.Contains(ssl.NegotiatedCipherSuite))
        {
            var suite = ssl.NegotiatedCipherSuite;
            await ssl.DisposeAsync();
            throw new TargetSecurityException(
                "anonymous TLS chose a suite the proxy did not offer",
                $"anonymous TLS with the VNC server {serverName} negotiated {suite}, not one of the anonymous AES suites the proxy offers");
        }

        return ssl;
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
