using System.Collections.Concurrent;
using System.Text;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Writes ConsoleTokens' records (hash, target, flags, expiry, sealed VNC password) to their proxies' token stores.
/// Remembers which store epoch each token was last seen stored in, so a converged reconcile touches neither the API nor
/// Redis; a token is checked in Redis again only when the epoch moved on (new connection, data loss).
/// </summary>
public sealed class ConsoleTokenStoreWriter
{
    private readonly ProxyTokenStores _stores;
    private readonly ResourceClient<V1Secret> _secrets;
    private readonly ConcurrentDictionary<ObjectKey, (string Uid, long Epoch)> _confirmed = new();

    /// <param name="stores">The proxies' token stores.</param>
    /// <param name="secrets">Secrets in every namespace: the VNC password and the proxy's keyring are read from there.</param>
    public ConsoleTokenStoreWriter(ProxyTokenStores stores, ResourceClient<V1Secret> secrets)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(secrets);
        _stores = stores;
        _secrets = secrets;
    }

    /// <summary>The store of <paramref name="proxy"/>; throws <see cref="TokenStoreConfigurationException"/> when its settings cannot be used.</summary>
    public Task<ProxyTokenStore> OpenAsync(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, CancellationToken cancellationToken) => _stores.GetAsync(proxy, endpoint, cancellationToken);

    /// <summary>The store did not answer: resolve its settings again next time, since a rotated password looks exactly like this.</summary>
    public void Invalidate(ProxyTokenStore store) => _stores.Invalidate(store);

    /// <summary>Why the store refuses its settings, or null when it is merely away (see <see cref="ProxyTokenStores.FindRefusalAsync"/>).</summary>
    public Task<TokenStoreRefusedException?> FindRefusalAsync(ProxyTokenStore store, CancellationToken cancellationToken) =>
        _stores.FindRefusalAsync(store, cancellationToken);

    /// <summary>Forgets that the token was stored: it ended, or is gone.</summary>
    public void Forget(ObjectKey token) => _confirmed.TryRemove(token, out _);

    /// <summary>
    /// Writes the hash unless this store epoch already saw it. A single-use token that had been Active and is gone from
    /// the store was used (or lost with the store's data, which cannot be told apart): writing it again could open the
    /// console a second time, so it is <see cref="TokenStoreOutcome.Consumed"/>. Throws
    /// <see cref="TokenStoreUnavailableException"/> when the store does not answer.
    /// </summary>
    public async Task<TokenStoreOutcome> EnsureStoredAsync(ConsoleTokenResource token, MintedToken minted, ProxyTokenStore store, bool wasActive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(minted);
        ArgumentNullException.ThrowIfNull(store);
        var key = ObjectKey.Of(token);
        var uid = token.Metadata.Uid ?? string.Empty;
        var epoch = store.Epoch;
        if (_confirmed.TryGetValue(key, out var seen) && seen.Uid == uid && seen.Epoch == epoch)
        {
            return TokenStoreOutcome.Stored;
        }

        var outcome = TokenStoreOutcome.Stored;
        if (wasActive)
        {
            var existing = (await store.Store.GetAsync(minted.Hash, cancellationToken)).Record;
            if (existing is null && token.Spec.SingleUse)
            {
                return TokenStoreOutcome.Consumed;
            }

            if (existing is null)
            {
                await store.Store.StoreAsync(minted.Hash, await RecordForAsync(token, minted, cancellationToken), cancellationToken);
                outcome = TokenStoreOutcome.Restored;
            }
        }
        else
        {
            await store.Store.StoreAsync(minted.Hash, await RecordForAsync(token, minted, cancellationToken), cancellationToken);
        }

        _confirmed[key] = (uid, epoch);
        return outcome;
    }

    private async Task<TokenRecord> RecordForAsync(ConsoleTokenResource token, MintedToken minted, CancellationToken cancellationToken)
    {
        var sealedPassword = token.Spec.VncPasswordSecretRef is { } reference
            ? await SealVncPasswordAsync(token, reference, minted.Hash, cancellationToken)
            : null;
        var record = minted.Issued.RecordFor(ConsoleTokenFacts.Target(token), IssuedToken.Flags(token.Spec.SingleUse, ConsoleTokenFacts.ViewOnly(token)), ConsoleTokenFacts.Kind(token), token.Spec.MaxSessions, token.Spec.ScreenshotOnly);
        return record with
        {
            Owner = ConsoleTokenFacts.Describe(token),
            Instance = token.Spec.Instance ?? string.Empty,
            SealedVncPassword = sealedPassword,
            ServerName = token.Spec.Target.ServerName,
            VncUsername = token.Spec.VncUsername,
        };
    }

    /// <summary>
    /// The VM's VNC password from the token's Secret, sealed with the ConsoleProxy's current key and bound to this token's
    /// hash: only that proxy's pods can open it, and only for this token. Read from the API each time, never cached.
    /// </summary>
    private async Task<string> SealVncPasswordAsync(ConsoleTokenResource token, SecretKeyReference reference, TokenHash hash, CancellationToken cancellationToken)
    {
        var ns = token.Metadata.NamespaceProperty!;
        var passwordSecret = await _secrets.InNamespace(ns).GetOrDefaultAsync(reference.Name, cancellationToken)
            ?? throw new InvalidOperationException($"the VNC password Secret {ns}/{reference.Name} does not exist (yet)");
        if (passwordSecret.Data is null || !passwordSecret.Data.TryGetValue(reference.Key, out var bytes) || bytes is not { Length: > 0 })
        {
            throw new InvalidOperationException($"the VNC password Secret {ns}/{reference.Name} has no key '{reference.Key}'");
        }

        var proxyKey = ConsoleTokenFacts.ProxyKey(token);
        var keySecretName = new ConsoleProxyNames(proxyKey.Name, proxyKey.Namespace).VncPasswordKeySecret;
        var keyring = VncPasswordKeySecretBuilder.ReadKeyring(await _secrets.InNamespace(proxyKey.Namespace).GetOrDefaultAsync(keySecretName, cancellationToken))
            ?? throw new InvalidOperationException($"the ConsoleProxy's VNC password keyring (Secret {proxyKey.Namespace}/{keySecretName}) does not exist yet; the operator creates it with the proxy's objects");
        var keys = VncPasswordKeyring.Parse(keyring.Split('\n'), $"Secret {proxyKey.Namespace}/{keySecretName}");
        return VncPasswordSeal.Seal(Encoding.UTF8.GetString(bytes), hash, keys.Current);
    }
}
