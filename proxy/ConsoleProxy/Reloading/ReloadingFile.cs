namespace ConsoleProxy.Reloading;

/// <summary>
/// A value read from a file, and read again only when the file changes (looked at, not read, at most once per
/// <see cref="ReloadingCertificate.CheckInterval"/>): what the kubelet's renewal of a mounted Secret needs. A changed
/// file that cannot be read keeps the value in use; one never readable throws what <paramref name="neverReadable"/>
/// makes of the error.
/// </summary>
/// <param name="load">Reads the file; throws one of the exceptions <paramref name="isUnreadable"/> accepts when it cannot.</param>
/// <param name="replaced">Called with the value a newer one replaced, under the reload lock.</param>
internal sealed class ReloadingFile<T>(
    string path,
    TimeProvider timeProvider,
    Func<string, T> load,
    Func<Exception, bool> isUnreadable,
    Func<Exception, Exception> neverReadable,
    Action<T>? replaced = null)
    where T : class
{
    private T? _current;
    private FileVersion _loaded;
    private long _lastCheck;

    /// <summary>Held while reloading; callers that dispose old values take it too.</summary>
    public Lock Reloading { get; } = new();

    /// <summary>The value last loaded, if any (read under <see cref="Reloading"/> for disposal).</summary>
    public T? Loaded => Volatile.Read(ref _current);

    public T Current
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

    private T ReloadIfChanged()
    {
        lock (Reloading)
        {
            Interlocked.Exchange(ref _lastCheck, timeProvider.GetTimestamp());
            var version = FileVersion.Of(path);
            if (_current is { } current && version == _loaded)
            {
                return current;
            }

            T value;
            try
            {
                value = load(path);
            }
            catch (Exception e) when (isUnreadable(e))
            {
                return _current ?? throw neverReadable(e);
            }

            if (_current is { } previous)
            {
                replaced?.Invoke(previous);
            }

            Volatile.Write(ref _current, value);
            _loaded = version;
            return value;
        }
    }
}
