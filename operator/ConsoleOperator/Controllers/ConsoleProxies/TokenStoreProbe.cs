using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Store;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// Checks whether the operator can use a ConsoleProxy's token store, through the same shared connection the token
/// controller mints with (<see cref="ProxyTokenStores"/>), so the answer is about the path tokens really take. The
/// check is a read of the store's sentinel key rather than a PING: it proves AUTH and key access too. A failure is
/// then told apart: Redis refusing the settings (wrong password or user, unknown master name, a certificate that does
/// not verify: each its own reason, see <see cref="TokenStoreRefusalHealth"/>) or Redis being away (Unreachable).
/// </summary>
public sealed class TokenStoreProbe
{
    private readonly ProxyTokenStores _stores;

    public TokenStoreProbe(ProxyTokenStores stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        _stores = stores;
    }

    /// <param name="proxy">The ConsoleProxy.</param>
    /// <param name="endpoint">Its token store as this reconcile resolved it (named in the health's messages).</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public async Task<TokenStoreHealth> CheckAsync(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(endpoint);
        ProxyTokenStore store;
        try
        {
            store = await _stores.GetAsync(proxy, endpoint, cancellationToken);
        }
        catch (TokenStoreConfigurationException exception)
        {
            return Misconfigured(proxy, endpoint, exception);
        }

        try
        {
            await store.Store.GetAsync(TokenStoreSentinel.Hash, cancellationToken);
            return TokenStoreHealth.Reachable(store.Options.Location);
        }
        catch (TokenStoreUnavailableException exception)
        {
            // The settings may be stale (a rotated password, a moved Service): resolve them again next time.
            _stores.Invalidate(store);

            // The open connection only says it has none; one strict attempt says whether Redis refuses the settings
            // (a status a person fixes) or is away (an outage), through the proxy's own classification.
            if (await RedisTokenStore.FindRefusalAsync(store.Options, cancellationToken) is { } refusal)
            {
                return TokenStoreRefusalHealth.For(proxy, endpoint, store.Options.Location, refusal);
            }

            var fix = endpoint.IsManaged
                ? $"check the managed Redis pods (Deployment {ConsoleProxyNames.For(proxy).Redis}) and that the operator can reach its Service"
                : "check that spec.tokenStore.external.address is reachable from the operator, and its password and TLS settings";
            return new TokenStoreHealth(ConditionStatus.False, ConsoleProxyReasons.Unreachable, $"{exception.Message}; {fix}");
        }
    }

    private static TokenStoreHealth Misconfigured(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, TokenStoreConfigurationException exception)
    {
        if (exception.InnerException is TokenStoreRefusedException refusal)
        {
            return TokenStoreRefusalHealth.For(proxy, endpoint, endpoint.Sentinel is null ? endpoint.Address : $"master {endpoint.Sentinel.MasterName}", refusal);
        }

        if (exception.TlsSecret is { } tlsSecret)
        {
            var what = tlsSecret == endpoint.ClientCertificateSecret
                ? "a kubernetes.io/tls Secret with tls.crt and tls.key (spec.tokenStore.external.clientCertificateSecretName)"
                : $"a Secret with the PEM CA under key {endpoint.CaSecret?.Key} (spec.tokenStore.external.caSecretRef)";
            return new TokenStoreHealth(ConditionStatus.False, ConsoleProxyReasons.TlsSecretMissing, $"{exception.Message}; create {tlsSecret} in namespace {proxy.Metadata.NamespaceProperty}: {what}");
        }

        // The resolver raises its own exceptions (no inner one) for a missing Secret or key, wraps a decoding failure
        // and an address the store library refuses.
        if (endpoint.PasswordSecret is { } secret && exception.InnerException is null)
        {
            var fix = endpoint.IsManaged
                ? "the operator creates it on its next reconcile; if it stays missing, check the operator's logs"
                : $"create Secret {secret.Name} with key {secret.Key} in namespace {proxy.Metadata.NamespaceProperty}, or fix spec.tokenStore.external.passwordSecretRef";
            return new TokenStoreHealth(ConditionStatus.False, ConsoleProxyReasons.PasswordSecretMissing, $"{exception.Message}; {fix}");
        }

        if (exception.InnerException is FormatException)
        {
            return new TokenStoreHealth(ConditionStatus.False, ConsoleProxyReasons.PasswordSecretInvalid, $"{exception.Message}; store the password base64-encoded in data (or as plain text in stringData)");
        }

        return new TokenStoreHealth(ConditionStatus.False, ConsoleProxyReasons.InvalidConfiguration, exception.Message);
    }
}
