using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Reloading;

/// <summary>
/// The proxy's TLS certificate (`--cert`, `--key`), re-read when its files change, so a renewed certificate (a
/// cert-manager Secret the kubelet swaps into the pod's volume) serves new connections without a restart. Kestrel asks
/// for it on every TLS handshake; the files are looked at (stat, not read) at most once per
/// <see cref="CheckInterval"/>, and only a change of their timestamp or size loads them again. A renewal that cannot
/// be loaded (half-written, a key that does not match) keeps the certificate in use and says why once.
/// </summary>
public sealed partial class ReloadingCertificate : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ReloadingCertificate> _logger;
    private readonly Lock _reloading = new();

    // Replaced certificates stay alive until disposal: a handshake may still be using one.
    private readonly List<X509Certificate2> _retired = [];
    private X509Certificate2 _current;
    private FileStamp _loaded;
    private FileStamp _lastFailed;
    private long _lastCheck;

    private ReloadingCertificate(string certificatePath, string keyPath, TimeProvider timeProvider, ILogger<ReloadingCertificate> logger)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _timeProvider = timeProvider;
        _logger = logger;
        _loaded = FileStamp.Of(certificatePath, keyPath);
        _current = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        _lastCheck = timeProvider.GetTimestamp();
    }

    /// <summary>Loads the certificate now; throws <see cref="CryptographicException"/> or <see cref="IOException"/> when it cannot.</summary>
    public static ReloadingCertificate Load(string certificatePath, string keyPath, TimeProvider timeProvider, ILogger<ReloadingCertificate> logger) =>
        new(certificatePath, keyPath, timeProvider, logger);

    /// <summary>The certificate for a new connection: the files' newest loadable contents.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_timeProvider.GetElapsedTime(Interlocked.Read(ref _lastCheck)) >= CheckInterval)
            {
                ReloadIfChanged();
            }

            return Volatile.Read(ref _current);
        }
    }

    public void Dispose()
    {
        lock (_reloading)
        {
            _current.Dispose();
            _retired.ForEach(certificate => certificate.Dispose());
            _retired.Clear();
        }
    }

    private void ReloadIfChanged()
    {
        lock (_reloading)
        {
            if (_timeProvider.GetElapsedTime(_lastCheck) < CheckInterval)
            {
                return;
            }

            Interlocked.Exchange(ref _lastCheck, _timeProvider.GetTimestamp());
            var stamp = FileStamp.Of(_certificatePath, _keyPath);
            if (stamp == _loaded || stamp == _lastFailed)
            {
                return;
            }

            try
            {
                var renewed = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
                _retired.Add(_current);
                Volatile.Write(ref _current, renewed);
                _loaded = stamp;
                LogReloaded(_certificatePath, renewed.Subject, renewed.NotAfter.ToUniversalTime());
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                _lastFailed = stamp;
                LogReloadFailed(_certificatePath, _keyPath, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "TLS certificate {Path} changed: new connections get {Subject}, valid until {NotAfter:u}")]
    private partial void LogReloaded(string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "TLS certificate {Path} or key {KeyPath} changed but cannot be loaded ({Reason}); still serving the previous certificate")]
    private partial void LogReloadFailed(string path, string keyPath, string reason);

    /// <summary>What a change of either file shows as (<see cref="FileVersion"/>).</summary>
    private readonly record struct FileStamp(FileVersion Certificate, FileVersion Key)
    {
        public static FileStamp Of(string certificatePath, string keyPath) => new(FileVersion.Of(certificatePath), FileVersion.Of(keyPath));
    }
}
