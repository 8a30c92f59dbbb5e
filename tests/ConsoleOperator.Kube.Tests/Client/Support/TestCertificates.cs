using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>A throwaway PKI: a CA, server certificates for chosen names, client certificates, all in memory.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly List<X509Certificate2> _issued = [];

    public TestCertificates(string caName = "test-cluster-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Authority = Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    public X509Certificate2 Authority { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>A server certificate for DNS names and/or IP addresses, signed by this CA.</summary>
    public X509Certificate2 IssueServer(params string[] names)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        return Issue($"CN={names[0]}", new Oid("1.3.6.1.5.5.7.3.1"), san.Build());
    }

    /// <summary>A client certificate as kube-apiserver reads it: CN is the user, O the groups.</summary>
    public X509Certificate2 IssueClient(string user, string group) => Issue($"CN={user}, O={group}", new Oid("1.3.6.1.5.5.7.3.2"), null);

    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static string PrivateKeyPem(X509Certificate2 certificate) =>
        certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Authority.Dispose();
    }

    private X509Certificate2 Issue(string subject, Oid usage, X509Extension? san)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Authority, now.AddHours(-1), now.AddDays(7), serial);
        var certificate = Reload(issued.CopyWithPrivateKey(key));
        _issued.Add(certificate);
        return certificate;
    }

    /// <summary>Through PKCS#12, so the private key is a persisted one every TLS stack accepts.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        }
    }
}
