using ConsoleProxy.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Health;

/// <summary>
/// Whether this pod should get new sessions: not draining (checked on every probe, so readiness
/// turns false the moment SIGTERM arrives) and the token store answering a PING. The PING result
/// is cached briefly and shared between concurrent probes, so a kubelet, a load balancer and a
/// scraper probing together cost Redis one round trip, and a hung Redis cannot pile up probes.
/// </summary>
public sealed class ReadinessProbe(ITokenStore store, SessionRegistry registry, TimeProvider timeProvider) : IDisposable
{
    /// <summary>How long one PING answer stands for.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    // Below the kubelet's default probe timeout (1 s), so a hung Redis reads as "not ready", not as a probe timeout.
    private static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(800);

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private bool _storeReachable;

    /// <summary>Null when ready; otherwise the one-line reason the probe answers 503 with.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (registry.IsDraining)
        {
            return "draining";
        }

        return await IsStoreReachableAsync(cancellationToken) ? null : "token store unreachable";
    }

    public void Dispose() => _refreshing.Dispose();

    private async Task<bool> IsStoreReachableAsync(CancellationToken cancellationToken)
    {
        if (IsFresh())
        {
            return Volatile.Read(ref _storeReachable);
        }

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another probe may have refreshed it while this one waited.
            if (IsFresh())
            {
                return _storeReachable;
            }

            using var timeout = new CancellationTokenSource(PingTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            bool reachable;
            try
            {
                reachable = await store.PingAsync(linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                reachable = false;
            }

            Volatile.Write(ref _storeReachable, reachable);
            _checkedAt = timeProvider.GetUtcNow();
            return reachable;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private bool IsFresh() => timeProvider.GetUtcNow() - _checkedAt < CacheFor;
}
