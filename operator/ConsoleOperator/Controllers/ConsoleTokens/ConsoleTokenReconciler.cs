using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Finalizers;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Telemetry;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Brings one ConsoleToken to its phase. Minting is crash-safe and idempotent per object:
/// <list type="number">
/// <item>validate against the ConsoleProxy (Invalid: a condition says why, nothing is written anywhere else);</item>
/// <item>add the finalizer (JSON patch), so a minted token cannot be deleted without being revoked;</item>
/// <item>create the Secret with token, URL and absolute expiry. A create is atomic: if the Secret exists, its token
///   is the one, so a crash anywhere later re-uses it and one object never has two live tokens;</item>
/// <item>store the hash in the proxy's Redis (overwriting the same key is harmless);</item>
/// <item>status Active (server-side apply, only when it changed).</item>
/// </list>
/// Then it requeues for the expiry, marks Expired, and deletes the object ttlSecondsAfterExpiry later. Deleting an
/// unexpired token revokes its hash (deleted and published: live sessions close with 4001) before the finalizer goes.
/// The raw token is never logged; only its hash's short form.
/// </summary>
public sealed class ConsoleTokenReconciler : IReconciler<ConsoleTokenResource>
{
    private readonly ResourceClient<ConsoleTokenResource> tokens;
    private readonly ResourceClient<V1Secret> secrets;
    private readonly InformerCache<ConsoleTokenResource> tokenCache;
    private readonly InformerCache<ConsoleProxyResource> proxyCache;
    private readonly InformerCache<V1Secret> secretCache;
    private readonly ProxyTokenStores stores;
    private readonly ConsoleTokenValidator validator;
    private readonly StatusApplier<ConsoleTokenResource> statusApplier;
    private readonly IEventRecorder events;
    private readonly TokenMetrics? metrics;
    private readonly ConsoleTokenControllerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    // Which store epoch each token was last seen stored in; a token is checked in Redis again only when the epoch
    // moved on (new connection, data loss), so a converged reconcile touches neither the API nor Redis.
    private readonly ConcurrentDictionary<ObjectKey, (string Uid, long Epoch)> confirmed = new();

    public ConsoleTokenReconciler(
        ResourceClient<ConsoleTokenResource> tokens,
        ResourceClient<V1Secret> secrets,
        InformerCache<ConsoleTokenResource> tokenCache,
        InformerCache<ConsoleProxyResource> proxyCache,
        InformerCache<V1Secret> secretCache,
        ProxyTokenStores stores,
        IEventRecorder events,
        TokenMetrics? metrics,
        ConsoleTokenControllerOptions options,
        TimeProvider timeProvider,
        ILogger<ConsoleTokenReconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        this.secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        this.tokenCache = tokenCache ?? throw new ArgumentNullException(nameof(tokenCache));
        this.proxyCache = proxyCache ?? throw new ArgumentNullException(nameof(proxyCache));
        this.secretCache = secretCache ?? throw new ArgumentNullException(nameof(secretCache));
        this.stores = stores ?? throw new ArgumentNullException(nameof(stores));
        this.events = events ?? throw new ArgumentNullException(nameof(events));
        this.metrics = metrics;
        this.options = options;
        time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        validator = new ConsoleTokenValidator(options.TargetResolver);
        statusApplier = new StatusApplier<ConsoleTokenResource>(tokens, EntityJson.TypeInfo<ConsoleTokenResource>(), options.FieldManager);
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var token = tokenCache.Get(key);
        if (token is null)
        {
            confirmed.TryRemove(key, out _);

            // Only reachable when someone stripped the ConsoleToken's finalizer by hand: let its Secret go too.
            if (secretCache.Get(key.Namespace, key.Name + "-console") is { Metadata.DeletionTimestamp: not null } orphan)
            {
                await FinalizerPatcher.RemoveAsync(secrets, orphan, options.Finalizer, cancellationToken);
            }

            return ReconcileResult.Done;
        }

        if (token.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(key, token, cancellationToken);
        }

        var phase = token.Status?.Phase;
        if (phase is ConsoleTokenPhase.Expired or ConsoleTokenPhase.Revoked)
        {
            return await CollectAsync(key, token, cancellationToken);
        }

        var secret = await FindSecretAsync(token, lookUpServer: token.Status?.SecretName is not null, cancellationToken);
        if (secret is null)
        {
            if (phase is ConsoleTokenPhase.Active)
            {
                // The token is out there but its Secret is gone: minting another would make two live tokens.
                return await EndAsync(key, token, null, ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDeleted,
                    $"the Secret {ConsoleTokenSecret.NameFor(token)} holding the token was deleted; create a new ConsoleToken", cancellationToken);
            }

            return await MintAsync(key, token, cancellationToken);
        }

        if (!OwnerReferences.IsControlledBy(secret, token))
        {
            await WriteStatusAsync(token, ConsoleTokenPhase.Pending, ConditionStatus.False, ConsoleTokenReasons.SecretConflict,
                $"Secret {secret.Metadata.Name} exists and is not this ConsoleToken's (a previous object of the same name may still be being deleted)",
                null, null, cancellationToken);
            return ReconcileResult.RequeueSoon;
        }

        var minted = ConsoleTokenSecret.Read(secret, out var problem);
        if (minted is null)
        {
            return await EndAsync(key, token, null, ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDamaged, problem!, cancellationToken);
        }

        if (secret.Metadata.DeletionTimestamp is not null)
        {
            // Someone deleted the Secret: the URL in it is revoked rather than left live without a holder.
            return await EndAsync(key, token, minted, ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDeleted,
                $"the Secret {secret.Metadata.Name} holding the token was deleted, so the token was revoked; create a new ConsoleToken", cancellationToken);
        }

        return await ActivateAsync(key, token, minted, mintStarted: null, cancellationToken);
    }

    private async Task<ReconcileResult> MintAsync(ObjectKey key, ConsoleTokenResource token, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var proxy = FindProxy(token);
        var validation = await validator.ValidateAsync(token, proxy, cancellationToken);
        if (!validation.IsValid)
        {
            return await MarkInvalidAsync(token, validation, cancellationToken);
        }

        // Reach the store before writing anything, so an unreachable store leaves no Secret behind it.
        var store = await OpenStoreAsync(token, validation.Proxy!, cancellationToken);
        if (store is null)
        {
            return ReconcileResult.RequeueSoon;
        }

        token = await FinalizerPatcher.AddAsync(tokens, token, options.Finalizer, cancellationToken);
        var minted = MintedToken.Mint(validation.Proxy!.Spec.PublicUrl, time.GetUtcNow(), validation.Lifetime, KindOf(token));
        var secretClient = secrets.InNamespace(token.Metadata.NamespaceProperty);
        V1Secret secret;
        try
        {
            secret = await secretClient.CreateAsync(ConsoleTokenSecret.Build(token, minted, options.Finalizer), cancellationToken: cancellationToken);
            logger.LogInformation("ConsoleToken {ConsoleToken}: minted {Hash}, expires {ExpiresAt:O}", key, minted.Hash.ShortForm, minted.ExpiresAt);
        }
        catch (KubernetesApiException exception) when (exception.IsAlreadyExists)
        {
            // A previous attempt created it (our cache had not seen it yet): that token is the one.
            secret = await secretClient.GetAsync(ConsoleTokenSecret.NameFor(token), cancellationToken);
        }

        if (!OwnerReferences.IsControlledBy(secret, token))
        {
            return ReconcileResult.RequeueSoon;
        }

        var kept = ConsoleTokenSecret.Read(secret, out var problem);
        if (kept is null)
        {
            return await EndAsync(key, token, null, ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDamaged, problem!, cancellationToken);
        }

        return await ActivateAsync(key, token, kept, started, cancellationToken);
    }

    /// <summary>Makes sure the hash is in Redis and the status says Active; or marks the token Expired/consumed.</summary>
    private async Task<ReconcileResult> ActivateAsync(ObjectKey key, ConsoleTokenResource token, MintedToken minted, long? mintStarted, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now >= minted.ExpiresAt)
        {
            return await EndAsync(key, token, minted, ConsoleTokenPhase.Expired, ConsoleTokenReasons.Expired,
                $"the token expired at {minted.ExpiresAt:O}", cancellationToken);
        }

        var proxy = FindProxy(token);
        if (proxy is null)
        {
            return await EndAsync(key, token, minted, ConsoleTokenPhase.Revoked, ConsoleTokenReasons.ProxyDeleted,
                $"ConsoleProxy {ProxyKey(token)} was deleted; its consoles are gone with it", cancellationToken);
        }

        var store = await OpenStoreAsync(token, proxy, cancellationToken);
        if (store is null)
        {
            return ReconcileResult.RequeueSoon;
        }

        var wasActive = token.Status?.Phase == ConsoleTokenPhase.Active;
        try
        {
            if (!await EnsureStoredAsync(key, token, minted, store, wasActive, cancellationToken))
            {
                return await EndAsync(key, token, minted, ConsoleTokenPhase.Expired, ConsoleTokenReasons.Consumed,
                    "the single-use token was used (a single-use token missing from the token store is never written again: it may have been used before the store lost its data)",
                    cancellationToken);
            }
        }
        catch (TokenStoreUnavailableException exception)
        {
            return await StoreUnreachableAsync(token, store, exception, cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The proxy's store settings changed while this ran and the old connection was closed: use the new one.
            return ReconcileResult.RequeueSoon;
        }

        var written = await WriteStatusAsync(token, ConsoleTokenPhase.Active, ConditionStatus.True, ConsoleTokenReasons.Minted,
            "the URL in the Secret opens the console until expiresAt", minted,
            (ConditionStatus.True, ConsoleTokenReasons.Connected, "the token is stored in the proxy's token store"), cancellationToken);
        if (!wasActive && written)
        {
            var latest = tokenCache.Get(key) ?? token;
            events.Record(latest, EventTypes.Normal, ConsoleTokenReasons.Minted, "Mint",
                $"minted {minted.Hash.ShortForm} for {Target(token)} via ConsoleProxy {ProxyKey(token)}, expires {minted.ExpiresAt:O}");
            metrics?.Minted(mintStarted is { } started ? time.GetElapsedTime(started) : TimeSpan.Zero);
        }

        return ReconcileResult.RequeueAfter(minted.ExpiresAt - now);
    }

    /// <summary>
    /// Writes the hash unless this store epoch already saw it. False when a single-use token that had been Active is
    /// gone from the store: it was used (or lost with the store's data, which cannot be told apart), and writing it
    /// again could open the console a second time.
    /// </summary>
    private async Task<bool> EnsureStoredAsync(ObjectKey key, ConsoleTokenResource token, MintedToken minted, ProxyTokenStore store, bool wasActive, CancellationToken cancellationToken)
    {
        var uid = token.Metadata.Uid ?? string.Empty;
        var epoch = store.Epoch;
        if (confirmed.TryGetValue(key, out var seen) && seen.Uid == uid && seen.Epoch == epoch)
        {
            return true;
        }

        if (wasActive)
        {
            var existing = (await store.Store.GetAsync(minted.Hash, cancellationToken)).Record;
            if (existing is null && token.Spec.SingleUse)
            {
                return false;
            }

            if (existing is null)
            {
                await store.Store.StoreAsync(minted.Hash, await RecordForAsync(token, minted, cancellationToken), cancellationToken);
                logger.LogWarning("ConsoleToken {ConsoleToken}: {Hash} was missing from the token store; written again", key, minted.Hash.ShortForm);
                metrics?.Restored();
                events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Restored, "Restore",
                    $"{minted.Hash.ShortForm} was missing from the token store of ConsoleProxy {ProxyKey(token)} and was written again");
            }
        }
        else
        {
            await store.Store.StoreAsync(minted.Hash, await RecordForAsync(token, minted, cancellationToken), cancellationToken);
        }

        confirmed[key] = (uid, epoch);
        return true;
    }

    private async Task<ReconcileResult> StoreUnreachableAsync(ConsoleTokenResource token, ProxyTokenStore store, TokenStoreUnavailableException exception, CancellationToken cancellationToken)
    {
        // Resolve the settings again next time: a rotated password looks exactly like this.
        stores.Invalidate(store);
        logger.LogWarning("ConsoleToken {ConsoleToken}: token store unreachable, retrying: {Message}", ObjectKeys(token), exception.Message);
        var phase = token.Status?.Phase == ConsoleTokenPhase.Active ? ConsoleTokenPhase.Active : ConsoleTokenPhase.Pending;
        var ready = phase == ConsoleTokenPhase.Active
            ? (ConditionStatus.True, ConsoleTokenReasons.Minted, "the URL in the Secret opens the console until expiresAt")
            : (ConditionStatus.False, ConsoleTokenReasons.TokenStoreUnreachable, "waiting for the proxy's token store to mint the token");
        MintedToken? minted = null;
        if (phase == ConsoleTokenPhase.Active && await FindSecretAsync(token, lookUpServer: false, cancellationToken) is { } secret)
        {
            minted = ConsoleTokenSecret.Read(secret, out _);
        }

        await WriteStatusAsync(token, phase, ready.Item1, ready.Item2, ready.Item3, minted,
            (ConditionStatus.False, ConsoleTokenReasons.TokenStoreUnreachable, exception.Message), cancellationToken);
        return ReconcileResult.RequeueSoon;
    }

    private async Task<ProxyTokenStore?> OpenStoreAsync(ConsoleTokenResource token, ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        try
        {
            return await stores.GetAsync(proxy, cancellationToken);
        }
        catch (TokenStoreConfigurationException exception)
        {
            logger.LogWarning("ConsoleToken {ConsoleToken}: cannot reach the token store of ConsoleProxy {Proxy}: {Message}", ObjectKeys(token), ProxyKey(token), exception.Message);
            var active = token.Status?.Phase == ConsoleTokenPhase.Active;
            await WriteStatusAsync(token,
                active ? ConsoleTokenPhase.Active : ConsoleTokenPhase.Pending,
                active ? ConditionStatus.True : ConditionStatus.False,
                active ? ConsoleTokenReasons.Minted : ConsoleTokenReasons.TokenStoreMisconfigured,
                active ? "the URL in the Secret opens the console until expiresAt" : "waiting for the proxy's token store to mint the token",
                null,
                (ConditionStatus.False, ConsoleTokenReasons.TokenStoreMisconfigured, exception.Message),
                cancellationToken,
                keepMintedFields: active);
            return null;
        }
    }

    private async Task<ReconcileResult> MarkInvalidAsync(ConsoleTokenResource token, TokenValidation validation, CancellationToken cancellationToken)
    {
        var previous = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready);
        var written = await WriteStatusAsync(token, ConsoleTokenPhase.Invalid, ConditionStatus.False, validation.Reason!, validation.Message, null, null, cancellationToken);
        if (written && (token.Status?.Phase != ConsoleTokenPhase.Invalid || previous?.Reason != validation.Reason))
        {
            logger.LogInformation("ConsoleToken {ConsoleToken} is invalid ({Reason}): {Message}", ObjectKeys(token), validation.Reason, validation.Message);
            events.Record(token, EventTypes.Warning, validation.Reason!, "Validate", validation.Message);
            metrics?.Invalid(validation.Reason!);
        }

        return validation.RetryAfter is { } retry ? ReconcileResult.RequeueAfter(retry) : ReconcileResult.Done;
    }

    /// <summary>Moves a token to Expired or Revoked for good: revokes what may still be live, drops the finalizer.</summary>
    private async Task<ReconcileResult> EndAsync(ObjectKey key, ConsoleTokenResource token, MintedToken? minted, ConsoleTokenPhase phase, string reason, string message, CancellationToken cancellationToken)
    {
        if (phase == ConsoleTokenPhase.Revoked && minted is not null)
        {
            // Still live (e.g. an external store outliving its proxy object): revoke where we still can.
            await RevokeAsync(key, token, minted, cancellationToken);
        }

        var written = await WriteStatusAsync(token, phase, ConditionStatus.False, reason, message, minted, null, cancellationToken);
        if (written && token.Status?.Phase != phase)
        {
            logger.LogInformation("ConsoleToken {ConsoleToken}: {Phase} ({Reason})", key, phase, reason);
            events.Record(token, phase == ConsoleTokenPhase.Expired ? EventTypes.Normal : EventTypes.Warning, reason, phase == ConsoleTokenPhase.Expired ? "Expire" : "Revoke", message);
            if (phase == ConsoleTokenPhase.Expired)
            {
                metrics?.Expired();
            }
            else
            {
                metrics?.Revoked();
            }
        }

        confirmed.TryRemove(key, out _);
        await ReleaseSecretAsync(token, cancellationToken);
        await FinalizerPatcher.RemoveAsync(tokens, tokenCache.Get(key) is { } latest && latest.Metadata.Uid == token.Metadata.Uid ? latest : token, options.Finalizer, cancellationToken);
        return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(token.Spec.TtlSecondsAfterExpiry));
    }

    /// <summary>Deletes an Expired or Revoked token once ttlSecondsAfterExpiry has passed.</summary>
    private async Task<ReconcileResult> CollectAsync(ObjectKey key, ConsoleTokenResource token, CancellationToken cancellationToken)
    {
        // A crash between the status write and the finalizer removals leaves them: nothing is live any more.
        await ReleaseSecretAsync(token, cancellationToken);
        token = await FinalizerPatcher.RemoveAsync(tokens, token, options.Finalizer, cancellationToken);
        var since = token.Status?.Phase == ConsoleTokenPhase.Expired && token.Status.ExpiresAt is { } expiry
            ? expiry
            : StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.LastTransitionTime ?? time.GetUtcNow();
        var deleteAt = since + TimeSpan.FromSeconds(token.Spec.TtlSecondsAfterExpiry);
        var now = time.GetUtcNow();
        if (now < deleteAt)
        {
            return ReconcileResult.RequeueAfter(deleteAt - now);
        }

        try
        {
            await tokens.InNamespace(token.Metadata.NamespaceProperty).DeleteAsync(
                token.Metadata.Name!,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = token.Metadata.Uid } },
                cancellationToken);
            logger.LogInformation("ConsoleToken {ConsoleToken}: deleted {Seconds}s after it ended", key, token.Spec.TtlSecondsAfterExpiry);
        }
        catch (KubernetesApiException exception) when (exception.IsNotFound)
        {
            // Already gone.
        }

        return ReconcileResult.Done;
    }

    /// <summary>On deletion: revoke the hash (deleted and published) while the token could still be live, then let go.</summary>
    private async Task<ReconcileResult> FinalizeAsync(ObjectKey key, ConsoleTokenResource token, CancellationToken cancellationToken)
    {
        if (token.Metadata.Finalizers?.Contains(options.Finalizer) != true)
        {
            return ReconcileResult.Done;
        }

        var secret = await FindSecretAsync(token, lookUpServer: true, cancellationToken);
        var minted = secret is not null && OwnerReferences.IsControlledBy(secret, token) ? ConsoleTokenSecret.Read(secret, out _) : null;
        if (minted is not null && token.Status?.Phase is not (ConsoleTokenPhase.Expired or ConsoleTokenPhase.Revoked))
        {
            // Throws TokenStoreUnavailableException when Redis is down: the finalizers stay and this retries with backoff.
            if (await RevokeAsync(key, token, minted, cancellationToken))
            {
                events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Revoked, "Revoke",
                    $"revoked {minted.Hash.ShortForm}: live sessions through ConsoleProxy {ProxyKey(token)} are closed");
                metrics?.Revoked();
            }
        }

        await ReleaseSecretAsync(token, cancellationToken);
        confirmed.TryRemove(key, out _);
        await FinalizerPatcher.RemoveAsync(tokens, token, options.Finalizer, cancellationToken);
        return ReconcileResult.Done;
    }

    /// <summary>
    /// Deletes the hash from the proxy's store and publishes the revocation (live sessions close with 4001). Throws
    /// <see cref="TokenStoreUnavailableException"/> when the store cannot be reached, so the caller keeps its finalizers.
    /// </summary>
    /// <returns>Whether a live hash was revoked (false: expired already, or no store left to revoke in).</returns>
    private async Task<bool> RevokeAsync(ObjectKey key, ConsoleTokenResource token, MintedToken minted, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() >= minted.ExpiresAt)
        {
            return false;
        }

        var proxy = FindProxy(token);
        var store = proxy is not null ? await OpenStoreForRevocationAsync(proxy, cancellationToken) : stores.Find(ProxyKey(token));
        if (store is null)
        {
            logger.LogWarning("ConsoleToken {ConsoleToken}: ConsoleProxy {Proxy} and its token store are gone; nothing to revoke", key, ProxyKey(token));
            return false;
        }

        await store.Store.RevokeAsync(minted.Hash, cancellationToken);
        confirmed.TryRemove(key, out _);
        logger.LogInformation("ConsoleToken {ConsoleToken}: revoked {Hash}", key, minted.Hash.ShortForm);
        return true;
    }

    /// <summary>Takes the finalizer off the token's Secret once nothing in it can be live any more.</summary>
    private async Task ReleaseSecretAsync(ConsoleTokenResource token, CancellationToken cancellationToken)
    {
        var secret = await FindSecretAsync(token, lookUpServer: true, cancellationToken);
        if (secret is not null && OwnerReferences.IsControlledBy(secret, token))
        {
            await FinalizerPatcher.RemoveAsync(secrets, secret, options.Finalizer, cancellationToken);
        }
    }

    private async Task<ProxyTokenStore?> OpenStoreForRevocationAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        try
        {
            return await stores.GetAsync(proxy, cancellationToken);
        }
        catch (TokenStoreConfigurationException exception)
        {
            // Unreachable until the proxy is fixed: keep the finalizer, retry with backoff.
            throw new TokenStoreUnavailableException($"cannot revoke: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Writes the status when it differs from the cached one. Returns whether a write was sent.
    /// </summary>
    private async Task<bool> WriteStatusAsync(
        ConsoleTokenResource token,
        ConsoleTokenPhase phase,
        string readyStatus,
        string readyReason,
        string readyMessage,
        MintedToken? minted,
        (string Status, string Reason, string Message)? storeReachable,
        CancellationToken cancellationToken,
        bool keepMintedFields = false)
    {
        var generation = token.Metadata.Generation;
        var desired = new List<V1Condition>
        {
            new() { Type = ConsoleTokenConditions.Ready, Status = readyStatus, Reason = readyReason, Message = readyMessage, ObservedGeneration = generation },
        };
        if (storeReachable is { } reachable)
        {
            desired.Add(new V1Condition { Type = ConsoleTokenConditions.TokenStoreReachable, Status = reachable.Status, Reason = reachable.Reason, Message = reachable.Message, ObservedGeneration = generation });
        }

        var current = token.Status;
        var conditions = StatusConditions.Merge(current?.Conditions, desired, time);
        if (storeReachable is null)
        {
            // Only tokens that talk to a store say whether it is reachable (not an Invalid one).
            StatusConditions.Remove(conditions, ConsoleTokenConditions.TokenStoreReachable);
        }

        var status = new ConsoleTokenStatus
        {
            Phase = phase,
            ExpiresAt = minted?.ExpiresAt ?? (keepMintedFields ? current?.ExpiresAt : null),
            SecretName = minted is not null ? ConsoleTokenSecret.NameFor(token) : keepMintedFields ? current?.SecretName : null,
            Url = minted?.PageUrl ?? (keepMintedFields ? current?.Url : null),
            ObservedGeneration = generation,
            Conditions = conditions,
        };
        var node = JsonSerializer.SerializeToNode(status, EntityJson.TypeInfo<ConsoleTokenStatus>())!;
        var outcome = await statusApplier.ApplyAsync(token, node, cancellationToken);
        return outcome.Written;
    }

    private async Task<V1Secret?> FindSecretAsync(ConsoleTokenResource token, bool lookUpServer, CancellationToken cancellationToken)
    {
        var name = ConsoleTokenSecret.NameFor(token);
        var cached = secretCache.Get(token.Metadata.NamespaceProperty ?? string.Empty, name);
        if (cached is not null || !lookUpServer)
        {
            return cached;
        }

        // The cache may trail a Secret this controller created a moment ago; the server has the last word.
        return await secrets.InNamespace(token.Metadata.NamespaceProperty).GetOrDefaultAsync(name, cancellationToken);
    }

    private ConsoleProxyResource? FindProxy(ConsoleTokenResource token) => proxyCache.Get(ProxyKey(token));

    /// <summary>The ConsoleProxy a token names.</summary>
    public static ObjectKey ProxyKey(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new ObjectKey(ConsoleTokenValidator.ProxyNamespace(token), token.Spec.ProxyRef.Name);
    }

    private async Task<TokenRecord> RecordForAsync(ConsoleTokenResource token, MintedToken minted, CancellationToken cancellationToken)
    {
        var flags = (token.Spec.SingleUse ? TokenFlags.SingleUse : TokenFlags.None) | (token.Spec.ViewOnly ? TokenFlags.ViewOnly : TokenFlags.None);
        var sealedPassword = token.Spec.VncPasswordSecretRef is { } reference
            ? await SealVncPasswordAsync(token, reference, minted.Hash, cancellationToken)
            : null;
        return new TokenRecord(Target(token), minted.ExpiresAt, flags, $"{token.Metadata.NamespaceProperty}/{token.Metadata.Name}", token.Spec.Instance ?? string.Empty, sealedPassword, KindOf(token), token.Spec.Target.ServerName);
    }

    /// <summary>
    /// The VM's VNC password from the token's Secret, sealed with the ConsoleProxy's current key and bound to this token's
    /// hash: only that proxy's pods can open it, and only for this token. Read from the API each time, never cached.
    /// </summary>
    private async Task<string> SealVncPasswordAsync(ConsoleTokenResource token, SecretKeyReference reference, TokenHash hash, CancellationToken cancellationToken)
    {
        var ns = token.Metadata.NamespaceProperty!;
        var passwordSecret = await secrets.InNamespace(ns).GetOrDefaultAsync(reference.Name, cancellationToken)
            ?? throw new InvalidOperationException($"the VNC password Secret {ns}/{reference.Name} does not exist (yet)");
        if (passwordSecret.Data is null || !passwordSecret.Data.TryGetValue(reference.Key, out var bytes) || bytes is not { Length: > 0 })
        {
            throw new InvalidOperationException($"the VNC password Secret {ns}/{reference.Name} has no key '{reference.Key}'");
        }

        var proxyKey = ProxyKey(token);
        var keySecretName = new ConsoleProxyNames(proxyKey.Name, proxyKey.Namespace).VncPasswordKeySecret;
        var keyring = VncPasswordKeySecretBuilder.ReadKeyring(await secrets.InNamespace(proxyKey.Namespace).GetOrDefaultAsync(keySecretName, cancellationToken))
            ?? throw new InvalidOperationException($"the ConsoleProxy's VNC password keyring (Secret {proxyKey.Namespace}/{keySecretName}) does not exist yet; the operator creates it with the proxy's objects");
        var keys = VncPasswordKeyring.Parse(keyring.Split('\n'), $"Secret {proxyKey.Namespace}/{keySecretName}");
        return VncPasswordSeal.Seal(Encoding.UTF8.GetString(bytes), hash, keys.Current);
    }

    // The validator refused every other name before a token is minted or its record written again.
    private static ConsoleKind KindOf(ConsoleTokenResource token) =>
        ConsoleKindNames.TryParse(token.Spec.Kind, out var kind, out _) ? kind : ConsoleKind.Vnc;

    private static ConsoleTarget Target(ConsoleTokenResource token) => new(token.Spec.Target.Host, token.Spec.Target.Port);

    private static string ObjectKeys(ConsoleTokenResource token) => $"{token.Metadata.NamespaceProperty}/{token.Metadata.Name}";
}
