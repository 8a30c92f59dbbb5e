using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleOperator.Testing.Kubernetes;

/// <summary>
/// What a test API server needs to be trusted and to sign ServiceAccount tokens: a throw-away CA, a serving
/// certificate for 127.0.0.1 and localhost signed by it, and a ServiceAccount signing key. Made in process with
/// System.Security.Cryptography, so the harness needs no openssl; P-256 keys because they are made in milliseconds.
/// </summary>
public sealed class ApiServerCertificates
{
    private ApiServerCertificates(string caPem, string servingCertificatePem, string servingKeyPem, string serviceAccountKeyPem, string serviceAccountPublicKeyPem)
    {
        ServiceAccountPublicKeyPem = serviceAccountPublicKeyPem;
        CaPem = caPem;
        ServingCertificatePem = servingCertificatePem;
        ServingKeyPem = servingKeyPem;
        ServiceAccountKeyPem = serviceAccountKeyPem;
    }

    public string CaPem { get; }

    public string ServingCertificatePem { get; }

    public string ServingKeyPem { get; }

    /// <summary>The key the API server signs ServiceAccount tokens with (SEC 1 "EC PRIVATE KEY").</summary>
    public string ServiceAccountKeyPem { get; }

    /// <summary>The key it verifies them with ("PUBLIC KEY": its key-file reader takes no PKCS#8 private key).</summary>
    public string ServiceAccountPublicKeyPem { get; }

    public static ApiServerCertificates Create(TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=console-operator-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var servingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var servingRequest = new CertificateRequest("CN=kube-apiserver", servingKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        servingRequest.CertificateExtensions.Add(names.Build());
        servingRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        servingRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        servingRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        servingRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var serving = servingRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        using var serviceAccountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new ApiServerCertificates(
            ca.ExportCertificatePem(),
            serving.ExportCertificatePem(),
            servingKey.ExportPkcs8PrivateKeyPem(),
            serviceAccountKey.ExportECPrivateKeyPem(),
            serviceAccountKey.ExportSubjectPublicKeyInfoPem());
    }
}
