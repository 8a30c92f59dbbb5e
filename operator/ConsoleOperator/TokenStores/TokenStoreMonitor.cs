using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Runtime;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.TokenStores;

/// <summary>
/// Checks every open token store periodically for data loss (its <see cref="TokenStoreSentinel"/> gone) and reports
/// the proxies whose Active tokens must be written again; closes the stores of proxies that no longer exist.
/// </summary>
public sealed class TokenStoreMonitor
{
    private readonly ProxyTokenStores _stores;
    private readonly Func<ObjectKey, bool> _proxyExists;
    private readonly Action<ObjectKey> _onDataLost;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="stores">The open stores.</param>
    /// <param name="proxyExists">Whether a ConsoleProxy still exists (from the informer cache).</param>
    /// <param name="onDataLost">Called with the proxy whose store lost its data (after the epoch moved on).</param>
    /// <param name="interval">How often to check; a lost store is noticed within one interval.</param>
    public TokenStoreMonitor(
        ProxyTokenStores stores,
        Func<ObjectKey, bool> proxyExists,
        Action<ObjectKey> onDataLost,
        TimeSpan interval,
        TimeProvider? timeProvider = null,
        ILogger<TokenStoreMonitor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(proxyExists);
        ArgumentNullException.ThrowIfNull(onDataLost);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _stores = stores;
        _proxyExists = proxyExists;
        _onDataLost = onDataLost;
        _interval = interval;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Checks every <c>interval</c> until cancelled (each pass handles its own store's failures).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        new PeriodicService("token store check", _interval, async token => await CheckAllAsync(token), _time, logger: _logger).RunAsync(cancellationToken);

    /// <summary>One pass over every open store; returns the proxies whose store had lost its data.</summary>
    public async Task<IReadOnlyList<ObjectKey>> CheckAllAsync(CancellationToken cancellationToken)
    {
        var lost = new List<ObjectKey>();
        foreach (var store in _stores.Open)
        {
            if (!_proxyExists(store.Proxy))
            {
                // The proxy's tokens had one pass (at least an interval) to revoke through this store.
                await _stores.ForgetAsync(store.Proxy);
                continue;
            }

            try
            {
                if (!await TokenStoreSentinel.CheckAsync(store.Store, _time, cancellationToken))
                {
                    _stores.MarkDataLost(store);
                    lost.Add(store.Proxy);
                    _logger.LogWarning("The token store of ConsoleProxy {Proxy} lost its data (or is new): rewriting its Active tokens", store.Proxy);
                    _onDataLost(store.Proxy);
                }
            }
            catch (TokenStoreUnavailableException exception)
            {
                // The tokens notice it themselves (and say so in their conditions); checked again next time.
                _logger.LogDebug("Token store of ConsoleProxy {Proxy} unreachable: {Message}", store.Proxy, exception.Message);
            }
            catch (ObjectDisposedException)
            {
                // Replaced or closed while this pass ran.
            }
        }

        return lost;
    }
}
