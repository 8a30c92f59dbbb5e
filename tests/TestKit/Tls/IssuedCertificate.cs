namespace TestKit.Tls;

/// <summary>A certificate and its private key (PKCS#8), both PEM, as <see cref="TestCertificateAuthority"/> issued them.</summary>
public sealed record IssuedCertificate(string CertificatePem, string KeyPem)
{
    /// <summary>Writes `&lt;stem&gt;-cert.pem` and `&lt;stem&gt;-key.pem` (QEMU's names for `server`/`client`) in <paramref name="directory"/>.</summary>
    public (string Certificate, string Key) Write(string directory, string stem)
    {
        var certificate = Path.Combine(directory, $"{stem}-cert.pem");
        var key = Path.Combine(directory, $"{stem}-key.pem");
        File.WriteAllText(certificate, CertificatePem);
        File.WriteAllText(key, KeyPem);
        return (certificate, key);
    }
}
