namespace ConsoleOperator.Kube.Client.Config;

/// <summary>
/// A token kept in a file (the projected service-account token, or a kubeconfig <c>tokenFile</c>). The kubelet
/// rotates bound tokens well before they expire, so the file is re-read once the cached copy is older than
/// <see cref="RefreshInterval"/> (one minute, as client-go does) and at once after a 401.
/// </summary>
public sealed class FileTokenSource : ITokenSource
{
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _timeProvider;
    private volatile CachedToken? _cached;

    public FileTokenSource(string path, TimeProvider timeProvider, TimeSpan? refreshInterval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Path = path;
        _timeProvider = timeProvider;
        RefreshInterval = refreshInterval ?? DefaultRefreshInterval;
    }

    public string Path { get; }

    public TimeSpan RefreshInterval { get; }

    public async ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var cached = _cached;
        if (cached is not null && !forceRefresh && now - cached.ReadAt < RefreshInterval)
        {
            return cached.Token;
        }

        // Two callers may both re-read at the boundary; that is harmless, and cheaper than a lock on every call.
        var text = (await File.ReadAllTextAsync(Path, cancellationToken)).Trim();
        if (text.Length == 0)
        {
            throw new InvalidOperationException($"the token file {Path} is empty");
        }

        _cached = new CachedToken(text, now);
        return text;
    }

    private sealed record CachedToken(string Token, DateTimeOffset ReadAt);
}
