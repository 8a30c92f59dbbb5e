using TestKit.Processes;
using TestKit.Tls;
using ConsoleProxy.Configuration;
using ConsoleProxy.Hosting;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// The files a VeNCrypt test needs, in a temp folder: a CA, QEMU's credentials directory (ca-cert.pem,
/// server-cert.pem, server-key.pem) with a server certificate for <c>serverNames</c>, and the proxy's client
/// certificate and CA bundle. <see cref="OtherCa"/> signs what must not be trusted.
/// </summary>
public sealed class VeNCryptCredentials : IDisposable
{
    private readonly TestCertificateAuthority _ca = TestCertificateAuthority.Create("compute-nodes-ca");

    public VeNCryptCredentials(params string[] serverNames)
    {
        Directory.CreateDirectory(QemuDirectory);
        _ca.WriteCertificate(Path.Combine(QemuDirectory, "ca-cert.pem"));
        _ca.IssueServer(serverNames.Length == 0 ? ["127.0.0.1"] : serverNames).Write(QemuDirectory, "server");
        CaFile = _ca.WriteCertificate(Path.Combine(Root, "target-ca.pem"));
        (ClientCertificateFile, ClientKeyFile) = _ca.IssueClient("console-proxy").Write(Root, "proxy");
        OtherCaFile = OtherCa.WriteCertificate(Path.Combine(Root, "other-ca.pem"));
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("vencrypt-").FullName;

    public string QemuDirectory => Path.Combine(Root, "qemu");

    public string CaFile { get; }

    public string ClientCertificateFile { get; }

    public string ClientKeyFile { get; }

    /// <summary>A second CA: the server's certificate is not signed by it, nor does QEMU trust what it signs.</summary>
    public TestCertificateAuthority OtherCa { get; } = TestCertificateAuthority.Create("another-ca");

    public string OtherCaFile { get; }

    public QemuVncTls Qemu(bool verifyPeer = true) => new(QemuDirectory, verifyPeer);

    /// <summary>The proxy configured for VeNCrypt with this CA and client certificate.</summary>
    public ProxyOptions Configure(ProxyOptions options, string schemes = "vencrypt") => options with
    {
        TargetAuthSchemes = [schemes],
        TargetCaFile = CaFile,
        TargetCertificateFile = ClientCertificateFile,
        TargetKeyFile = ClientKeyFile,
    };

    public void Dispose()
    {
        _ca.Dispose();
        OtherCa.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
