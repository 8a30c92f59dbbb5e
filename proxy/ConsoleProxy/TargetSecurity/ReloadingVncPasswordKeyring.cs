using ConsoleProxy.Hosting;
using ConsoleProxy.Tokens.Secrets;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The `--vnc-password-key` keyring, read again when the file changes (looked at at most once a second), so a key the
/// operator (or a person) adds in front takes effect in running pods: new tokens are sealed with it, older records
/// still open with the keys after it. A changed file that cannot be read keeps the keyring in use.
/// </summary>
public sealed class ReloadingVncPasswordKeyring(string path, TimeProvider timeProvider)
{
    private readonly Lock _reloading = new();
    private VncPasswordKeyring? _current;
    private FileVersion _loaded;
    private long _lastCheck;

    /// <summary>The keyring for a new session; <see cref="TargetSecurityException"/> when it has never been readable.</summary>
    public VncPasswordKeyring Current
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

    private VncPasswordKeyring ReloadIfChanged()
    {
        lock (_reloading)
        {
            Interlocked.Exchange(ref _lastCheck, timeProvider.GetTimestamp());
            var version = FileVersion.Of(path);
            if (_current is { } current && version == _loaded)
            {
                return current;
            }

            VncPasswordKeyring keyring;
            try
            {
                keyring = VncPasswordKeyring.Load(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return _current ?? throw new TargetSecurityException("the proxy's --vnc-password-key cannot be read", $"--vnc-password-key {path} cannot be read: {e.Message}", e);
            }

            Volatile.Write(ref _current, keyring);
            _loaded = version;
            return keyring;
        }
    }
}
