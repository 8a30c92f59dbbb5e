using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// consoleproxy's own serving certificate for wss (`--cert`, `--key` PEM files): self-signed for 127.0.0.1,
/// P-256 like the targets'. The benchmark's client trusts exactly this certificate (pinned), nothing else.
/// </summary>
public sealed record ProxyCertificate(X509Certificate2 Certificate, string CertificateFile, string KeyFile)
{
    public static ProxyCertificate Create(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(directory, "proxy-cert.pem");
        var keyFile = Path.Combine(directory, "proxy-key.pem");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return new ProxyCertificate(certificate, certificateFile, keyFile);
    }

    /// <summary>Whether what the server presented is this certificate.</summary>
    public bool IsPresented(X509Certificate? presented) =>
        presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(Certificate.RawData);
}
