using System.Diagnostics;
using System.Text.Json;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Rbac;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Store;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Brings one live ConsoleToken to its phase: load its world once, decide the next step
/// (<see cref="ConsoleTokenDecisions"/>), do it. Minting is crash-safe and idempotent per object:
/// <list type="number">
/// <item>validate against the ConsoleProxy (Invalid: a condition says why, nothing is written anywhere else);</item>
/// <item>reach the proxy's store before writing anything, so an unreachable store leaves no Secret behind;</item>
/// <item>create the Secret with token, URL and absolute expiry. A create is atomic: if the Secret exists, its token
///   is the one, so a crash anywhere later re-uses it and one object never has two live tokens;</item>
/// <item>store the hash in the proxy's Redis (overwriting the same key is harmless);</item>
/// <item>status Active (server-side apply, only when it changed).</item>
/// </list>
/// Then it requeues for the expiry, marks Expired, and deletes the object ttlSecondsAfterExpiry later. The runtime
/// keeps the finalizer on every live token, so a minted token cannot go without <see cref="ConsoleTokenFinalizer"/>
/// revoking it. The raw token is never logged; only its hash's short form.
/// </summary>
// ConsoleTokens are patched (finalizers, by JSON Patch) and deleted once expired long enough ago.
[EntityRbac(typeof(ConsoleTokenResource), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Patch | RbacVerb.Delete)]
[EntityRbac(typeof(ConsoleTokenResource), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Patch)]
[EntityRbac(typeof(ConsoleTokenResource), Subresource = "finalizers", Verbs = RbacVerb.Update)]
// Each ConsoleToken's Secret (owned, applied, deleted with the token); ConsoleProxies are read through the informer.
[EntityRbac(typeof(V1Secret), Verbs = RbacVerb.Own)]
[EntityRbac(typeof(ConsoleProxyResource), Verbs = RbacVerb.List | RbacVerb.Watch)]
public sealed class ConsoleTokenController : IEntityController<ConsoleTokenResource>
{
    private readonly ConsoleTokenWorldLoader _worlds;
    private readonly ConsoleTokenSecrets _secrets;
    private readonly ConsoleTokenStoreWriter _storeWriter;
    private readonly ConsoleTokenRevoker _revoker;
    private readonly ServerSideApplier<ConsoleTokenResource> _statusApplier;
    private readonly ResourceClient<ConsoleTokenResource> _tokens;
    private readonly ConsoleTokenRecorder _recorder;
    private readonly TimeProvider _time;

    /// <param name="tokens">ConsoleTokens in every namespace (each token's own is used): deletes the ended ones.</param>
    /// <param name="statusApplier">Writes the status, only when it changed.</param>
    public ConsoleTokenController(
        ConsoleTokenWorldLoader worlds,
        ConsoleTokenSecrets secrets,
        ConsoleTokenStoreWriter storeWriter,
        ConsoleTokenRevoker revoker,
        ServerSideApplier<ConsoleTokenResource> statusApplier,
        ResourceClient<ConsoleTokenResource> tokens,
        ConsoleTokenRecorder recorder,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(worlds);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(storeWriter);
        ArgumentNullException.ThrowIfNull(revoker);
        ArgumentNullException.ThrowIfNull(statusApplier);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _worlds = worlds;
        _secrets = secrets;
        _storeWriter = storeWriter;
        _revoker = revoker;
        _statusApplier = statusApplier;
        _tokens = tokens;
        _recorder = recorder;
        _time = timeProvider;
    }

    public async Task<ReconcileResult> ReconcileAsync(ConsoleTokenResource entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var world = await _worlds.LoadAsync(entity, cancellationToken);
        return await DoAsync(world, ConsoleTokenDecisions.Next(world, _time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Forgets the token; lets go of its Secret if someone stripped the ConsoleToken's finalizer by hand.</summary>
    public async Task<ReconcileResult> DeletedAsync(ConsoleTokenResource entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var key = ObjectKey.Of(entity);
        _storeWriter.Forget(key);
        await _secrets.ReleaseOrphanAsync(key, cancellationToken);
        return ReconcileResult.Done;
    }

    private async Task<ReconcileResult> DoAsync(ConsoleTokenWorld world, ConsoleTokenStep step, CancellationToken cancellationToken) => step switch
    {
        ConsoleTokenStep.MarkInvalid invalid => await MarkInvalidAsync(world.Token, invalid.Verdict, cancellationToken),
        ConsoleTokenStep.Mint mint => await MintAsync(world, mint.Verdict, cancellationToken),
        ConsoleTokenStep.Activate activate => await ActivateAsync(world.Token, activate.Minted, activate.Proxy, store: null, mintStarted: null, cancellationToken),
        ConsoleTokenStep.WaitForSecret wait => await WaitForSecretAsync(world.Token, wait.Message, cancellationToken),
        ConsoleTokenStep.End end => await EndAsync(world, end, cancellationToken),
        ConsoleTokenStep.Collect collect => await CollectAsync(world, collect.DeleteAt, cancellationToken),
        _ => throw new UnreachableException($"no way to do {step}"),
    };

    private async Task<ReconcileResult> MarkInvalidAsync(ConsoleTokenResource token, TokenValidation verdict, CancellationToken cancellationToken)
    {
        var previous = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready);
        var written = await WriteStatusAsync(token, ConsoleTokenStatusBuilder.Invalid(token, verdict, _time), cancellationToken);
        if (written && (token.Status?.Phase != ConsoleTokenPhase.Invalid || previous?.Reason != verdict.Reason))
        {
            _recorder.Invalid(token, verdict);
        }

        return verdict.RetryAfter is { } retry ? ReconcileResult.RequeueAfter(retry) : ReconcileResult.Done;
    }

    private async Task<ReconcileResult> MintAsync(ConsoleTokenWorld world, TokenValidation verdict, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var token = world.Token;
        var proxy = verdict.Proxy!;
        var store = await OpenStoreAsync(token, proxy, cancellationToken);
        if (store is null)
        {
            return ReconcileResult.RequeueSoon;
        }

        var now = _time.GetUtcNow();
        var lifetime = verdict.LifetimeAt(now);
        if (lifetime <= TimeSpan.Zero && verdict.NotAfter is { } notAfter)
        {
            return await MarkInvalidAsync(token, ShareCheck.SharedExpired(token, notAfter), cancellationToken);
        }

        var secret = await _secrets.CreateOrGetAsync(token, MintedToken.Mint(proxy.Spec.PublicUrl, now, lifetime, ConsoleTokenFacts.Kind(token), token.Spec.ScreenshotOnly), cancellationToken);
        if (!OwnerReferences.IsControlledBy(secret, token))
        {
            return ReconcileResult.RequeueSoon;
        }

        // The Secret's token is the one (ours, or a previous attempt's): decide again from it, in this pass.
        var kept = ConsoleTokenSecret.Read(secret, out var problem);
        var minted = world with { Secret = secret, Minted = kept, SecretProblem = problem, Verdict = null };
        var next = ConsoleTokenDecisions.Next(minted, _time.GetUtcNow());
        return next is ConsoleTokenStep.Activate activate
            ? await ActivateAsync(token, activate.Minted, activate.Proxy, store, started, cancellationToken)
            : await DoAsync(minted, next, cancellationToken);
    }

    /// <summary>Makes sure the hash is in the store (opened once per pass) and the status says Active; or ends a consumed token.</summary>
    private async Task<ReconcileResult> ActivateAsync(
        ConsoleTokenResource token, MintedToken minted, ConsoleProxyResource proxy, ProxyTokenStore? store, long? mintStarted, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        store ??= await OpenStoreAsync(token, proxy, cancellationToken);
        if (store is null)
        {
            return ReconcileResult.RequeueSoon;
        }

        var wasActive = token.Status?.Phase == ConsoleTokenPhase.Active;
        TokenStoreOutcome outcome;
        try
        {
            outcome = await _storeWriter.EnsureStoredAsync(token, minted, store, wasActive, cancellationToken);
        }
        catch (TokenStoreUnavailableException exception)
        {
            _storeWriter.Invalidate(store);

            // The open connection only says it has none: tell Redis refusing the settings (a reason a person fixes,
            // the same one the ConsoleProxy's TokenStoreReady gives) from Redis being away.
            var problem = await _storeWriter.FindRefusalAsync(store, cancellationToken) is { } refusal
                ? TokenStoreRefusalHealth.For(proxy, store.Endpoint, store.Options.Location, refusal)
                : new TokenStoreHealth(ConditionStatus.False, ConsoleTokenReasons.TokenStoreUnreachable, exception.Message);
            _recorder.StoreUnreachable(token, problem.Message);
            await WriteStatusAsync(token, ConsoleTokenStatusBuilder.StoreUnreachable(token, minted, problem.Reason, problem.Message, _time), cancellationToken);
            return ReconcileResult.RequeueSoon;
        }
        catch (ObjectDisposedException)
        {
            // The proxy's store settings changed while this ran and the old connection was closed: use the new one.
            return ReconcileResult.RequeueSoon;
        }

        switch (outcome)
        {
            case TokenStoreOutcome.Consumed:
                return await EndAsync(token, null, new ConsoleTokenStep.End(ConsoleTokenPhase.Expired, ConsoleTokenReasons.Consumed,
                    "the single-use token was used (a single-use token missing from the token store is never written again: it may have been used before the store lost its data)",
                    minted), cancellationToken);
            case TokenStoreOutcome.Restored:
                _recorder.Restored(token, minted);
                break;
        }

        var written = await WriteStatusAsync(token, ConsoleTokenStatusBuilder.Active(token, minted, _time), cancellationToken);
        if (!wasActive && written)
        {
            _recorder.Minted(token, minted, mintStarted is { } started ? _time.GetElapsedTime(started) : TimeSpan.Zero);
        }

        return ReconcileResult.RequeueAfter(minted.ExpiresAt - now);
    }

    private async Task<ReconcileResult> WaitForSecretAsync(ConsoleTokenResource token, string message, CancellationToken cancellationToken)
    {
        await WriteStatusAsync(token, ConsoleTokenStatusBuilder.SecretConflict(token, message, _time), cancellationToken);
        return ReconcileResult.RequeueSoon;
    }

    private Task<ReconcileResult> EndAsync(ConsoleTokenWorld world, ConsoleTokenStep.End end, CancellationToken cancellationToken) =>
        EndAsync(world.Token, world.Secret, end, cancellationToken);

    /// <summary>Moves a token to Expired or Revoked for good: revokes what may still be live and lets go of its Secret.</summary>
    private async Task<ReconcileResult> EndAsync(ConsoleTokenResource token, V1Secret? secret, ConsoleTokenStep.End end, CancellationToken cancellationToken)
    {
        if (end.Phase == ConsoleTokenPhase.Revoked && end.Minted is { } live)
        {
            // Still live (e.g. an external store outliving its proxy object): revoke where we still can.
            await _revoker.RevokeAsync(token, live, cancellationToken);
        }

        var written = await WriteStatusAsync(token, ConsoleTokenStatusBuilder.Ended(token, end.Phase, end.Reason, end.Message, end.Minted, _time), cancellationToken);
        if (written && token.Status?.Phase != end.Phase)
        {
            _recorder.Ended(token, end.Phase, end.Reason, end.Message);
        }

        _storeWriter.Forget(ObjectKey.Of(token));
        await _secrets.ReleaseAsync(token, secret ?? await _secrets.FindAsync(token, lookUpServer: true, cancellationToken), cancellationToken);
        return ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(token.Spec.TtlSecondsAfterExpiry));
    }

    /// <summary>Deletes an ended token once ttlSecondsAfterExpiry has passed; the finalizer then has nothing left to revoke.</summary>
    private async Task<ReconcileResult> CollectAsync(ConsoleTokenWorld world, DateTimeOffset deleteAt, CancellationToken cancellationToken)
    {
        var token = world.Token;
        // A crash between the status write and the release leaves the Secret's finalizer: nothing is live any more.
        await _secrets.ReleaseAsync(token, world.Secret, cancellationToken);
        var now = _time.GetUtcNow();
        if (now < deleteAt)
        {
            return ReconcileResult.RequeueAfter(deleteAt - now);
        }

        try
        {
            await _tokens.InNamespace(token.Metadata.NamespaceProperty).DeleteAsync(
                token.Metadata.Name!,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = token.Metadata.Uid } },
                cancellationToken);
            _recorder.Collected(token);
        }
        catch (KubernetesApiException exception) when (exception.IsNotFound)
        {
            // Already gone.
        }

        return ReconcileResult.Done;
    }

    private async Task<ProxyTokenStore?> OpenStoreAsync(ConsoleTokenResource token, ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        // Resolved once for this pass: the connection and the refusal message name the same store.
        TokenStoreEndpoint? endpoint = null;
        try
        {
            endpoint = ProxyTokenStores.EndpointOf(proxy);
            return await _storeWriter.OpenAsync(proxy, endpoint, cancellationToken);
        }
        catch (TokenStoreConfigurationException exception)
        {
            var (reason, message) = exception.InnerException is TokenStoreRefusedException refusal && endpoint is not null
                ? Refused(proxy, endpoint, refusal)
                : (ConsoleTokenReasons.TokenStoreMisconfigured, exception.Message);
            _recorder.StoreMisconfigured(token, message);
            await WriteStatusAsync(token, ConsoleTokenStatusBuilder.StoreMisconfigured(token, reason, message, _time), cancellationToken);
            return null;
        }
    }

    private static (string Reason, string Message) Refused(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, TokenStoreRefusedException refusal)
    {
        var health = TokenStoreRefusalHealth.For(proxy, endpoint, endpoint.Sentinel is null ? endpoint.Address : $"master {endpoint.Sentinel.MasterName}", refusal);
        return (health.Reason, health.Message);
    }

    /// <summary>Applies the status when it differs from the token's; whether a write was sent.</summary>
    private async Task<bool> WriteStatusAsync(ConsoleTokenResource token, ConsoleTokenStatus status, CancellationToken cancellationToken)
    {
        var node = JsonSerializer.SerializeToNode(status, EntityJson.TypeInfo<ConsoleTokenStatus>())!;
        return (await _statusApplier.ApplyStatusAsync(token, node, cancellationToken)).Written;
    }
}
