using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleProxy.Benchmarks.Targets;

/// <summary>
/// A self-signed certificate for 127.0.0.1 for the TLS targets, and its PEM, which the proxy takes as `--target-ca`
/// (a self-signed certificate is its own CA). P-256: what a current libvirt or QEMU setup would use.
/// </summary>
public static class TargetCertificate
{
    public static (X509Certificate2 Certificate, string CaFile) Create(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var caFile = Path.Combine(directory, "target-ca.pem");
        File.WriteAllText(caFile, created.ExportCertificatePem());

        // Through PKCS#12, so SslStream on Linux has a certificate whose key it can use for the server side.
        return (X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null), caFile);
    }
}
