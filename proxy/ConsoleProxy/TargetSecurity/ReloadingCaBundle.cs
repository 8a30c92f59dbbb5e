using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Hosting;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The CA bundle of `--target-ca`, read once and again only when the file changes (looked at, not read, at most once per
/// <see cref="ReloadingCertificate.CheckInterval"/>, as the certificates are): every session checks the VNC server
/// against it, and a rotated CA is in force within a second. A renewal that cannot be read keeps the bundle in use.
/// </summary>
public sealed class ReloadingCaBundle(string path, TimeProvider timeProvider) : IDisposable
{
    private readonly Lock _reloading = new();

    // Replaced bundles stay alive until disposal: a handshake may still be checking a chain against one.
    private readonly List<X509Certificate2Collection> _retired = [];
    private X509Certificate2Collection? _current;
    private FileVersion _loaded;
    private long _lastCheck;

    /// <summary>The bundle for a new session; <see cref="TargetSecurityException"/> when it has never been readable.</summary>
    public X509Certificate2Collection Current
    {
        get
        {
            if (Volatile.Read(ref _current) is not { } current || timeProvider.GetElapsedTime(Interlocked.Read(ref _lastCheck)) >= ReloadingCertificate.CheckInterval)
            {
                current = ReloadIfChanged();
            }

            return current;
        }
    }

    public void Dispose()
    {
        lock (_reloading)
        {
            foreach (var bundle in _retired.Append(_current ?? []))
            {
                foreach (var certificate in bundle)
                {
                    certificate.Dispose();
                }
            }

            _retired.Clear();
        }
    }

    private X509Certificate2Collection ReloadIfChanged()
    {
        lock (_reloading)
        {
            Interlocked.Exchange(ref _lastCheck, timeProvider.GetTimestamp());
            var version = FileVersion.Of(path);
            if (_current is { } current && version == _loaded)
            {
                return current;
            }

            var bundle = new X509Certificate2Collection();
            try
            {
                bundle.ImportFromPemFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                return _current ?? throw new TargetSecurityException("the proxy's --target-ca cannot be read", $"--target-ca {path} cannot be read: {e.Message}", e);
            }

            if (_current is not null)
            {
                _retired.Add(_current);
            }

            Volatile.Write(ref _current, bundle);
            _loaded = version;
            return bundle;
        }
    }
}
