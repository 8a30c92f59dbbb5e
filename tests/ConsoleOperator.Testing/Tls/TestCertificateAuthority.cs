using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleOperator.Testing.Tls;

/// <summary>
/// A throw-away private CA that issues server and client certificates as PEM files, made in process with
/// System.Security.Cryptography (no openssl needed); P-256 keys because they are made in milliseconds.
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

    /// <summary>The CA certificate in PEM, what `--redis-ca` and `tls-ca-cert-file` take.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    public static TestCertificateAuthority Create(string name, TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)), time);
    }

    /// <summary>A serving certificate naming <paramref name="ipAddresses"/> and <paramref name="dnsNames"/>.</summary>
    public IssuedCertificate IssueServer(IEnumerable<IPAddress> ipAddresses, IEnumerable<string> dnsNames)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var address in ipAddresses)
        {
            names.AddIpAddress(address);
        }

        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        return Issue("CN=redis-server", ServerAuthentication, names.Build());
    }

    /// <summary>A client certificate, what `--redis-client-cert`/`--redis-client-key` take.</summary>
    public IssuedCertificate IssueClient(string commonName) => Issue($"CN={commonName}", ClientAuthentication, alternativeNames: null);

    /// <summary>Writes the CA certificate to <paramref name="path"/> and returns the path.</summary>
    public string WriteCertificate(string path)
    {
        File.WriteAllText(path, CertificatePem);
        return path;
    }

    public void Dispose() => _certificate.Dispose();

    private IssuedCertificate Issue(string subject, Oid usage, X509Extension? alternativeNames)
    {
        var now = _time.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        // Within the CA's own validity, which a certificate may not outlast.
        using var issued = request.Create(_certificate, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(16));
        return new IssuedCertificate(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
