using System.Text.Json;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Builders.Validation;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.TokenStores;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// Brings one ConsoleProxy's objects in line with its spec: validates it (an invalid spec is reported, never
/// applied), builds every object, applies what differs (server-side apply, one field manager, controller owner
/// references), deletes owned objects the spec no longer asks for, checks the token store, and writes the status
/// when it changed. Deleting the ConsoleProxy is left to the garbage collector through the owner references.
/// </summary>
public sealed class ConsoleProxyReconciler : IEntityController<ConsoleProxyResource>
{
    private const string ReconcileAction = "Reconcile";

    private readonly ServerSideApplier<ConsoleProxyResource> _statusApplier;
    private readonly IReadOnlyList<IOwnedKind> _owned;
    private readonly OwnedKind<V1Deployment> _deployments;
    private readonly OwnedKind<V1Secret> _secrets;
    private readonly ResourceClient<V1Secret> _secretClient;
    private readonly TokenStoreProbe _probe;
    private readonly ProxyTokenStores? _ownedStores;
    private readonly EventRecorder _events;
    private readonly ConsoleProxyControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="ownedStores">The token store connections this controller opened itself (closed when a proxy is gone); null when shared.</param>
    public ConsoleProxyReconciler(
        ResourceClient<ConsoleProxyResource> proxyClient,
        IReadOnlyList<IOwnedKind> owned,
        ResourceClient<V1Secret> secretClient,
        TokenStoreProbe probe,
        ProxyTokenStores? ownedStores,
        EventRecorder events,
        ConsoleProxyControllerOptions options,
        TimeProvider time,
        ILogger<ConsoleProxyReconciler> logger)
    {
        ArgumentNullException.ThrowIfNull(proxyClient);
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(secretClient);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _statusApplier = new ServerSideApplier<ConsoleProxyResource>(proxyClient, EntityJson.TypeInfo<ConsoleProxyResource>(), options.FieldManager);
        _owned = owned;
        _deployments = owned.OfType<OwnedKind<V1Deployment>>().Single();
        _secrets = owned.OfType<OwnedKind<V1Secret>>().Single();
        _secretClient = secretClient;
        _probe = probe;
        _ownedStores = ownedStores;
        _events = events;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Deleted: the garbage collector removes what it owned; only our own connection to its store remains.</summary>
    public async Task<ReconcileResult> DeletedAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        if (_ownedStores is not null)
        {
            await _ownedStores.ForgetAsync(ObjectKey.Of(proxy));
        }

        return ReconcileResult.Done;
    }

    public async Task<ReconcileResult> ReconcileAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var problems = ConsoleProxyValidator.Validate(proxy);
        if (problems.Count > 0)
        {
            await ReportInvalidAsync(proxy, problems, cancellationToken);
            return ReconcileResult.Done;
        }

        var objects = ConsoleProxyObjects.Build(proxy, _options.Defaults, await RedisPasswordAsync(proxy, cancellationToken), await VncPasswordKeysAsync(proxy, cancellationToken));
        var applied = await ApplyAllAsync(proxy, objects, cancellationToken);
        var deleted = await DeleteUnwantedAsync(proxy, objects, cancellationToken);
        var proxyDeployment = (V1Deployment)applied.Single(outcome => outcome.Object is V1Deployment d && d.Metadata.Name == objects.ProxyDeployment.Metadata.Name).Object;
        var tokenStore = await _probe.CheckAsync(proxy, objects.TokenStore, cancellationToken);
        await WriteStatusAsync(proxy, ConsoleProxyStatusBuilder.Reconciled(proxy, proxyDeployment, tokenStore, _time), cancellationToken);
        ReportChanges(proxy, applied, deleted, tokenStore);
        return ReconcileResult.RequeueAfter(_options.RecheckInterval);
    }

    private async Task ReportInvalidAsync(ConsoleProxyResource proxy, IReadOnlyList<ValidationProblem> problems, CancellationToken cancellationToken)
    {
        var message = ConsoleProxyStatusBuilder.InvalidSpecMessage(problems);
        var previous = StatusConditions.Find(proxy.Status?.Conditions, ConsoleProxyConditions.Degraded);
        var proxyDeployment = _deployments.TypedInformer.Cache.Get(proxy.Metadata.NamespaceProperty!, ConsoleProxyNames.For(proxy).Proxy);
        await WriteStatusAsync(proxy, ConsoleProxyStatusBuilder.Invalid(proxy, problems, proxyDeployment, _time), cancellationToken);
        if (previous is not { Status: ConditionStatus.True, Reason: ConsoleProxyReasons.InvalidSpec } || previous.Message != message)
        {
            _logger.LogWarning("ConsoleProxy {Proxy} is invalid, nothing applied: {Problems}", ObjectKey.Of(proxy), message);
            _events.Record(proxy, EventTypes.Warning, ConsoleProxyReasons.InvalidSpec, ReconcileAction, message);
        }
    }

    /// <summary>The managed Redis password: the one in the cluster, else a new one.</summary>
    private async Task<RedisPassword> RedisPasswordAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken) =>
        proxy.Spec.TokenStore.Managed is null
            ? RedisPassword.Withheld
            : RedisPassword.KeepOrGenerate(await ReadKeptSecretAsync(proxy, ConsoleProxyNames.For(proxy).RedisAuthSecret, RedisPasswordSecretBuilder.ReadPassword, "the managed Redis password", cancellationToken));

    /// <summary>The VNC password keyring: the one in the cluster (sealed passwords need it), else a new one.</summary>
    private async Task<VncPasswordKeys?> VncPasswordKeysAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken) =>
        proxy.Spec.TargetSecurity is null
            ? null
            : VncPasswordKeys.KeepOrGenerate(await ReadKeptSecretAsync(proxy, ConsoleProxyNames.For(proxy).VncPasswordKeySecret, VncPasswordKeySecretBuilder.ReadKeyring, "the VNC password keyring", cancellationToken));

    /// <summary>
    /// What an operator-generated Secret holds, from the cache, else the API (so a lagging cache never regenerates
    /// it), or null when it does not exist yet, which the caller turns into a new value.
    /// </summary>
    private async Task<string?> ReadKeptSecretAsync(ConsoleProxyResource proxy, string name, Func<V1Secret?, string?> read, string what, CancellationToken cancellationToken)
    {
        var ns = proxy.Metadata.NamespaceProperty!;
        var existing = read(_secrets.TypedInformer.Cache.Get(ns, name)) ?? read(await _secretClient.InNamespace(ns).GetOrDefaultAsync(name, cancellationToken));
        if (existing is null)
        {
            _logger.LogInformation("ConsoleProxy {Proxy}: generating {What} (Secret {Secret})", ObjectKey.Of(proxy), what, name);
        }

        return existing;
    }

    private async Task<IReadOnlyList<OwnedObjectOutcome>> ApplyAllAsync(ConsoleProxyResource proxy, ConsoleProxyObjects objects, CancellationToken cancellationToken)
    {
        var outcomes = new List<OwnedObjectOutcome>();
        foreach (var desired in objects.All())
        {
            var kind = _owned.FirstOrDefault(candidate => candidate.Handles(desired))
                ?? throw new InvalidOperationException($"No owned kind handles {desired.Kind}: register it with the controller.");
            try
            {
                outcomes.Add(await kind.ApplyAsync(desired, proxy, cancellationToken));
            }
            catch (KubernetesApiException e) when (e.IsInvalid || e.IsBadRequest || e.IsForbidden)
            {
                // Retrying alone will not fix this: say so where a person looks, then retry with backoff anyway
                // (an admission policy or RBAC may be fixed without touching the ConsoleProxy).
                var message = $"the API server refused {desired.Kind} {desired.Metadata.Name} ({e.Code} {e.Reason}): {e.Message}";
                var proxyDeployment = _deployments.TypedInformer.Cache.Get(proxy.Metadata.NamespaceProperty!, objects.ProxyDeployment.Metadata.Name!);
                await WriteStatusAsync(proxy, ConsoleProxyStatusBuilder.Rejected(proxy, message, proxyDeployment, _time), cancellationToken);
                _events.Record(proxy, EventTypes.Warning, ConsoleProxyReasons.ApplyRejected, ReconcileAction, message);
                throw;
            }
        }

        return outcomes;
    }

    private async Task<IReadOnlyList<string>> DeleteUnwantedAsync(ConsoleProxyResource proxy, ConsoleProxyObjects objects, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        foreach (var kind in _owned)
        {
            var wanted = objects.All().Where(kind.Handles).Select(obj => obj.Metadata.Name!).ToHashSet(StringComparer.Ordinal);
            foreach (var name in await kind.DeleteUnwantedAsync(proxy, wanted, cancellationToken))
            {
                deleted.Add($"{kind.Kind} {name}");
            }
        }

        return deleted;
    }

    private async Task WriteStatusAsync(ConsoleProxyResource proxy, ConsoleProxyStatus status, CancellationToken cancellationToken)
    {
        var node = JsonSerializer.SerializeToNode(status, EntityJson.TypeInfo<ConsoleProxyStatus>())
            ?? throw new InvalidOperationException("The status did not serialize.");
        await _statusApplier.ApplyStatusAsync(proxy, node, cancellationToken);
    }

    private void ReportChanges(ConsoleProxyResource proxy, IReadOnlyList<OwnedObjectOutcome> applied, IReadOnlyList<string> deleted, TokenStoreHealth tokenStore)
    {
        var written = applied.Where(outcome => outcome.Written).Select(outcome => outcome.Description).ToList();
        if (written.Count > 0)
        {
            _logger.LogInformation("ConsoleProxy {Proxy}: applied {Objects}", ObjectKey.Of(proxy), string.Join(", ", written));
            _events.Record(proxy, EventTypes.Normal, ConsoleProxyReasons.Applied, ReconcileAction, "applied " + string.Join(", ", written));
        }

        if (deleted.Count > 0)
        {
            _logger.LogInformation("ConsoleProxy {Proxy}: deleted {Objects}, no longer in the spec", ObjectKey.Of(proxy), string.Join(", ", deleted));
            _events.Record(proxy, EventTypes.Normal, ConsoleProxyReasons.Deleted, ReconcileAction, "deleted " + string.Join(", ", deleted) + ": no longer in the spec");
        }

        var previous = StatusConditions.Find(proxy.Status?.Conditions, ConsoleProxyConditions.TokenStoreReady);
        if (!tokenStore.IsReachable && (previous is null || previous.Status != tokenStore.Status || previous.Reason != tokenStore.Reason))
        {
            _logger.LogWarning("ConsoleProxy {Proxy}: token store not usable ({Reason}): {Message}", ObjectKey.Of(proxy), tokenStore.Reason, tokenStore.Message);
            _events.Record(proxy, EventTypes.Warning, tokenStore.Reason, "CheckTokenStore", tokenStore.Message);
        }
        else if (tokenStore.IsReachable && previous is { Status: ConditionStatus.False })
        {
            _events.Record(proxy, EventTypes.Normal, ConsoleProxyReasons.TokenStoreReachable, "CheckTokenStore", tokenStore.Message);
        }
    }
}
