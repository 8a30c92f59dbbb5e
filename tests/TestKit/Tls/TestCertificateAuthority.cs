using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TestKit.Tls;

/// <summary>
/// A throw-away CA for tests of TLS between real processes (QEMU's VNC server, redis-server, the proxy): it issues
/// server and client certificates and writes them as PEM files. Made in process with System.Security.Cryptography,
/// so no openssl is needed; P-256 keys because they are made in milliseconds and GnuTLS and OpenSSL both take them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;

    private TestCertificateAuthority(X509Certificate2 certificate, TimeProvider time)
    {
        _certificate = certificate;
        _time = time;
    }

    public string CertificatePem => _certificate.ExportCertificatePem();

    public static TestCertificateAuthority Create(string name, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var now = time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Two days, so everything issued later for a day still ends before the CA does (CertificateRequest insists).
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2)), time);
    }

    /// <summary>A server certificate for <paramref name="names"/> (IP addresses and DNS names).</summary>
    public IssuedCertificate IssueServer(params string[] names) => Issue($"CN={names.FirstOrDefault() ?? "server"}", names, ServerAuthentication);

    public IssuedCertificate IssueClient(string commonName) => Issue($"CN={commonName}", [], ClientAuthentication);

    /// <summary>Writes the CA certificate to <paramref name="path"/>; returns the path.</summary>
    public string WriteCertificate(string path)
    {
        File.WriteAllText(path, CertificatePem);
        return path;
    }

    public void Dispose() => _certificate.Dispose();

    private IssuedCertificate Issue(string subject, string[] names, Oid usage)
    {
        var now = _time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (names.Length > 0)
        {
            var alternativeNames = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var address))
                {
                    alternativeNames.AddIpAddress(address);
                }
                else
                {
                    alternativeNames.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(alternativeNames.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        using var issued = request.Create(_certificate, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return new IssuedCertificate(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
