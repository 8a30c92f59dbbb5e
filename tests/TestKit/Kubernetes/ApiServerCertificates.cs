using System.Security.Cryptography;
using TestKit.Tls;

namespace TestKit.Kubernetes;

/// <summary>
/// What a test API server needs to be trusted and to sign ServiceAccount tokens: a throw-away CA, a serving
/// certificate for 127.0.0.1 and localhost signed by it (both from <see cref="TestCertificateAuthority"/>), and a
/// ServiceAccount signing key.
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
        using var authority = TestCertificateAuthority.Create("console-operator-test-ca", time);
        var serving = authority.IssueServer("127.0.0.1", "localhost");
        using var serviceAccountKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new ApiServerCertificates(
            authority.CertificatePem,
            serving.CertificatePem,
            serving.KeyPem,
            serviceAccountKey.ExportECPrivateKeyPem(),
            serviceAccountKey.ExportSubjectPublicKeyInfoPem());
    }
}
