using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Reloading;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The CA bundle of `--target-ca`, read once and again only when the file changes (looked at, not read, at most once per
/// <see cref="ReloadingCertificate.CheckInterval"/>, as the certificates are): every session checks the VNC server
/// against it, and a rotated CA is in force within a second. A renewal that cannot be read keeps the bundle in use.
/// </summary>
public sealed class ReloadingCaBundle : IDisposable
{
    // Replaced bundles stay alive until disposal: a handshake may still be checking a chain against one.
    private readonly List<X509Certificate2Collection> _retired = [];
    private readonly ReloadingFile<X509Certificate2Collection> _file;

    public ReloadingCaBundle(string path, TimeProvider timeProvider) =>
        _file = new ReloadingFile<X509Certificate2Collection>(
            path,
            timeProvider,
            Load,
            e => e is IOException or UnauthorizedAccessException or CryptographicException,
            e => new TargetSecurityException("the proxy's --target-ca cannot be read", $"--target-ca {path} cannot be read: {e.Message}", e),
            _retired.Add);

    /// <summary>The bundle for a new session; <see cref="TargetSecurityException"/> when it has never been readable.</summary>
    public X509Certificate2Collection Current => _file.Current;

    public void Dispose()
    {
        lock (_file.Reloading)
        {
            foreach (var bundle in _retired.Append(_file.Loaded ?? []))
            {
                foreach (var certificate in bundle)
                {
                    certificate.Dispose();
                }
            }

            _retired.Clear();
        }
    }

    private static X509Certificate2Collection Load(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle;
    }
}
