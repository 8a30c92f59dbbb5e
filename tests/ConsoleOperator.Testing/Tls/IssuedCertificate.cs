namespace ConsoleOperator.Testing.Tls;

/// <summary>A certificate and its private key in PEM, as servers and `--redis-client-cert`/`--redis-client-key` read them.</summary>
public sealed record IssuedCertificate(string CertificatePem, string KeyPem)
{
    /// <summary>Writes NAME.crt and NAME.key into <paramref name="directory"/>; returns both paths.</summary>
    public (string CertificateFile, string KeyFile) WriteTo(string directory, string name)
    {
        var certificateFile = Path.Combine(directory, $"{name}.crt");
        var keyFile = Path.Combine(directory, $"{name}.key");
        File.WriteAllText(certificateFile, CertificatePem);
        File.WriteAllText(keyFile, KeyPem);
        return (certificateFile, keyFile);
    }
}
