using System.Collections.Concurrent;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Runtime;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.TokenStores;

/// <summary>
/// One open token store per ConsoleProxy (one Redis multiplexer each, as StackExchange.Redis wants), opened on first
/// use and replaced when the proxy's store settings change (address, TLS, password, key prefix). The settings are
/// resolved again when the proxy's generation moves or after <see cref="ProxyTokenStore.Invalidate"/> (e.g. a rotated password
/// made the store unreachable); the connection is kept when they come out the same.
/// </summary>
public sealed class ProxyTokenStores : IAsyncDisposable
{
    /// <summary>How long one answer of <see cref="FindRefusalAsync"/> is used for a store.</summary>
    public static readonly TimeSpan RefusalCheckInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<ObjectKey, ProxyTokenStore> _stores = new();
    // One lock per ConsoleProxy: opening a store that does not answer waits for its connect timeout, and must not hold
    // up opening (or closing) any other proxy's store.
    private readonly ConcurrentDictionary<ObjectKey, SemaphoreSlim> _opening = new();
    private readonly TokenStoreOptionsResolver _resolver;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _lastEpoch;
    private int _disposed;

    public ProxyTokenStores(TokenStoreOptionsResolver resolver, TimeProvider? timeProvider = null, ILogger<ProxyTokenStores>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The stores open now.</summary>
    public IReadOnlyList<ProxyTokenStore> Open => [.. _stores.Values];

    /// <summary>The store open for a proxy, if any (e.g. to revoke through after the proxy object is gone).</summary>
    public ProxyTokenStore? Find(ObjectKey proxy) => _stores.GetValueOrDefault(proxy);

    /// <summary>
    /// The store of <paramref name="proxy"/>, connecting (or reconnecting with new settings) when needed. Throws
    /// <see cref="TokenStoreConfigurationException"/> when the settings cannot be resolved; connecting itself does
    /// not fail while Redis is down (the store's calls do, with <see cref="TokenStoreUnavailableException"/>).
    /// </summary>
    public Task<ProxyTokenStore> GetAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken) =>
        GetAsync(proxy, EndpointOf(proxy), cancellationToken);

    /// <inheritdoc cref="GetAsync(ConsoleProxyResource, CancellationToken)"/>
    /// <param name="proxy">The ConsoleProxy.</param>
    /// <param name="endpoint">Its token store as this reconcile resolved it (used only when the settings are resolved again).</param>
    /// <param name="cancellationToken">Stops the Secret reads and the connect.</param>
    public async Task<ProxyTokenStore> GetAsync(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(endpoint);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var key = new ObjectKey(proxy.Metadata.NamespaceProperty ?? string.Empty, proxy.Metadata.Name ?? string.Empty);
        var uid = proxy.Metadata.Uid ?? string.Empty;
        var generation = proxy.Metadata.Generation ?? 0;
        if (_stores.TryGetValue(key, out var current) && current.ProxyUid == uid && current.ProxyGeneration == generation)
        {
            return current;
        }

        var opening = OpeningLock(key);
        await opening.WaitAsync(cancellationToken);
        try
        {
            if (_stores.TryGetValue(key, out current) && current.ProxyUid == uid && current.ProxyGeneration == generation)
            {
                return current;
            }

            var options = await _resolver.ResolveAsync(proxy, endpoint, cancellationToken);
            if (current is not null && current.ProxyUid == uid && current.Options == options)
            {
                current.ProxyGeneration = generation;
                return current;
            }

            RedisTokenStore connection;
            try
            {
                connection = await RedisTokenStore.ConnectAsync(options, _time, cancellationToken);
            }
            catch (Exception exception) when (exception is ArgumentException or TokenStoreRefusedException)
            {
                // Malformed options, or Redis answered and refused them (wrong password, user, CA): a status to fix, not an outage.
                throw new TokenStoreConfigurationException($"the token store of ConsoleProxy {key} cannot be used: {exception.Message}", exception);
            }

            // A new connection starts a new epoch (every token is checked once anyway), so the marker only has to
            // be there from now on; when Redis is down the monitor writes it later.
            try
            {
                await TokenStoreSentinel.CheckAsync(connection, _time, cancellationToken);
            }
            catch (TokenStoreUnavailableException exception)
            {
                _logger.LogDebug("Token store of ConsoleProxy {Proxy} not reachable yet: {Message}", key, exception.Message);
            }

            var opened = new ProxyTokenStore(key, uid, generation, endpoint, options, connection, NextEpoch(), _time);
            _stores[key] = opened;
            _logger.LogInformation("Opened the token store of ConsoleProxy {Proxy}: {Options}", key, options);
            if (current is not null)
            {
                _logger.LogInformation("Closing the previous token store of ConsoleProxy {Proxy}: its settings changed", key);
                await current.DisposeAsync();
            }

            return opened;
        }
        finally
        {
            opening.Release();
        }
    }

    /// <summary>
    /// The token store of a ConsoleProxy, for a caller that resolves it once per reconcile; a proxy with neither a
    /// managed nor an external store is a <see cref="TokenStoreConfigurationException"/> (a status to fix).
    /// </summary>
    public static TokenStoreEndpoint EndpointOf(ConsoleProxyResource proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        try
        {
            return TokenStoreEndpoint.For(proxy);
        }
        catch (ArgumentException exception)
        {
            throw new TokenStoreConfigurationException(exception.Message, exception);
        }
    }

    /// <summary>
    /// Makes the next <see cref="GetAsync(ConsoleProxyResource, TokenStoreEndpoint, CancellationToken)"/> resolve the store's settings again (the connection stays if they come out
    /// the same): after the store was unreachable, since a rotated password or a moved Service looks exactly like that.
    /// </summary>
    public void Invalidate(ProxyTokenStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (_stores.TryGetValue(store.Proxy, out var current) && ReferenceEquals(current, store))
        {
            store.Invalidate();
        }
    }

    /// <summary>
    /// Whether Redis refuses the store's settings (wrong password or user, unknown sentinel master, a certificate that
    /// does not verify), by the proxy's own classification (<see cref="RedisTokenStore.FindRefusalAsync"/>), or null
    /// when it is merely away. Each answer is kept for <see cref="RefusalCheckInterval"/>: every token of a proxy hits
    /// the same failure at once, and one strict connection attempt answers for all of them.
    /// </summary>
    public async Task<TokenStoreRefusedException?> FindRefusalAsync(ProxyTokenStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = _time.GetUtcNow();
        if (store.LastRefusalCheck is { } last && now - last.At < RefusalCheckInterval)
        {
            return last.Refusal;
        }

        var refusal = await RedisTokenStore.FindRefusalAsync(store.Options, cancellationToken);
        store.LastRefusalCheck = (now, refusal);
        return refusal;
    }

    /// <summary>Records that the store lost its data: every token confirmed in it before must be checked again.</summary>
    public void MarkDataLost(ProxyTokenStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.StartEpoch(NextEpoch());
    }

    /// <summary>Closes the store of a proxy that is gone.</summary>
    public async ValueTask ForgetAsync(ObjectKey proxy)
    {
        var opening = OpeningLock(proxy);
        await opening.WaitAsync(CancellationToken.None);
        try
        {
            if (_stores.TryRemove(proxy, out var store))
            {
                _logger.LogInformation("Closing the token store of ConsoleProxy {Proxy}: the proxy is gone", proxy);
                await store.DisposeAsync();
            }
        }
        finally
        {
            opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var key in _stores.Keys)
        {
            if (_stores.TryRemove(key, out var store))
            {
                await store.DisposeAsync();
            }
        }

        foreach (var opening in _opening.Values)
        {
            opening.Dispose();
        }
    }

    /// <summary>The lock that orders opening, replacing and closing one proxy's store (one per ConsoleProxy ever seen: a few bytes each).</summary>
    private SemaphoreSlim OpeningLock(ObjectKey proxy) => _opening.GetOrAdd(proxy, static _ => new SemaphoreSlim(1, 1));

    private long NextEpoch() => Interlocked.Increment(ref _lastEpoch);
}
