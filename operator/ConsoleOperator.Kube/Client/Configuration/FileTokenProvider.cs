using System.Net.Http.Headers;
using k8s.Authentication;

namespace ConsoleOperator.Kube.Client.Configuration;

/// <summary>
/// A bearer token kept in a file (the projected service-account token, or a kubeconfig <c>tokenFile</c>), plugged
/// into the library's credentials. The library's own TokenFileAuth re-reads only on its wall clock and cannot be told
/// to re-read after a 401; this one re-reads once the cached copy is older than <see cref="RefreshInterval"/> (one
/// minute, as client-go does) by the injected clock, and at once when forced.
/// </summary>
public sealed class FileTokenProvider : ITokenProvider
{
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _timeProvider;
    private volatile CachedToken? _cached;

    public FileTokenProvider(string path, TimeProvider timeProvider, TimeSpan? refreshInterval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Path = path;
        _timeProvider = timeProvider;
        RefreshInterval = refreshInterval ?? DefaultRefreshInterval;
    }

    public string Path { get; }

    public TimeSpan RefreshInterval { get; }

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        new("Bearer", await GetTokenAsync(forceRefresh: false, cancellationToken));

    /// <summary>The token to send. <paramref name="forceRefresh"/> is set after a 401: the file is re-read at once.</summary>
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
