using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Deletes a token's hash from its proxy's store and publishes the revocation, so live sessions close with 4001: when
/// a token is deleted before it expired, or ends while it may still be live.
/// </summary>
public sealed class ConsoleTokenRevoker
{
    private readonly InformerCache<ConsoleProxyResource> _proxies;
    private readonly ProxyTokenStores _stores;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ConsoleTokenRevoker(InformerCache<ConsoleProxyResource> proxies, ProxyTokenStores stores, TimeProvider timeProvider, ILogger<ConsoleTokenRevoker> logger)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _proxies = proxies;
        _stores = stores;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Revokes <paramref name="minted"/>. Throws <see cref="TokenStoreUnavailableException"/> when the store cannot be
    /// reached (or its settings cannot be used), so the caller keeps its finalizers and retries.
    /// </summary>
    /// <returns>Whether a live hash was revoked (false: expired already, or no store left to revoke in).</returns>
    public async Task<bool> RevokeAsync(ConsoleTokenResource token, MintedToken minted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(minted);
        if (_time.GetUtcNow() >= minted.ExpiresAt)
        {
            return false;
        }

        var proxyKey = ConsoleTokenFacts.ProxyKey(token);
        // A proxy object already gone may leave its store open here (an external store outliving it): revoke there.
        var store = _proxies.Get(proxyKey) is { } proxy ? await OpenAsync(proxy, cancellationToken) : _stores.Find(proxyKey);
        if (store is null)
        {
            _logger.LogWarning("ConsoleToken {ConsoleToken}: ConsoleProxy {Proxy} and its token store are gone; nothing to revoke", ConsoleTokenFacts.Describe(token), proxyKey);
            return false;
        }

        await store.Store.RevokeAsync(minted.Hash, cancellationToken);
        _logger.LogInformation("ConsoleToken {ConsoleToken}: revoked {Hash}", ConsoleTokenFacts.Describe(token), minted.Hash.ShortForm);
        return true;
    }

    private async Task<ProxyTokenStore> OpenAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        try
        {
            return await _stores.GetAsync(proxy, cancellationToken);
        }
        catch (TokenStoreConfigurationException exception)
        {
            // Unreachable until the proxy is fixed: keep the finalizer, retry with backoff.
            throw new TokenStoreUnavailableException($"cannot revoke: {exception.Message}", exception);
        }
    }
}
