using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>
/// A small but complete controller over Widgets in KubeOps' shape, written the way the operator's controllers are: the
/// runtime hands it the cached widget with its finalizer already on; it applies a ConfigMap it owns and its status
/// (phase, observedGeneration, a Ready condition); as the finalizer it cleans up before a deleted widget goes. It counts
/// what it does.
/// </summary>
public sealed class WidgetController(
    Informer<V1ConfigMap> configMaps,
    TestCluster cluster,
    EventRecorder? events = null) : IEntityController<UntypedObject>, IEntityFinalizer<UntypedObject>
{
    public const string Finalizer = "example.dev/cleanup";
    public const string FieldManager = "widget-controller";

    private readonly ServerSideApplier<V1ConfigMap> _configMapApplier = new(cluster.ConfigMaps, EntityJson.TypeInfo<V1ConfigMap>(), FieldManager, "example.dev/applied-hash");
    private readonly ServerSideApplier<UntypedObject> _statusApplier = new(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), FieldManager);
    private readonly ConcurrentDictionary<ObjectKey, int> _inFlight = new();
    private int _reconciles;
    private int _maxInFlightPerKey;

    /// <summary>Reconciles and finalizer runs started (finished or not).</summary>
    public int Reconciles => Volatile.Read(ref _reconciles);

    /// <summary>The most reconciles of one key ever seen running at once (the queue promises 1).</summary>
    public int MaxInFlightPerKey => Volatile.Read(ref _maxInFlightPerKey);

    public ConcurrentQueue<ObjectKey> CleanedUp { get; } = new();

    /// <summary>Runs at the start of each reconcile (tests throw from here, or slow reconciles down).</summary>
    public Func<ObjectKey, CancellationToken, Task>? BeforeReconcile { get; set; }

    /// <summary>Runs with the widget the runtime read from the cache, before this controller's writes (tests delete it from here).</summary>
    public Func<UntypedObject, CancellationToken, Task>? AfterCacheRead { get; set; }

    /// <summary>What a successful reconcile returns (tests ask for requeues); Done by default.</summary>
    public ReconcileResult Result { get; set; } = ReconcileResult.Done;

    public async Task<ReconcileResult> ReconcileAsync(UntypedObject entity, CancellationToken cancellationToken)
    {
        var result = ReconcileResult.Done;
        await CountedAsync(entity, async () => result = await ApplyAsync(entity, cancellationToken), cancellationToken);
        return result;
    }

    public Task FinalizeAsync(UntypedObject entity, CancellationToken cancellationToken) =>
        CountedAsync(
            entity,
            () =>
            {
                CleanedUp.Enqueue(ObjectKey.Of(entity));
                return Task.CompletedTask;
            },
            cancellationToken);

    /// <summary>Counted too, so a test waiting for quiet sees the deletion's pass.</summary>
    public async Task<ReconcileResult> DeletedAsync(UntypedObject entity, CancellationToken cancellationToken)
    {
        await CountedAsync(entity, () => Task.CompletedTask, cancellationToken);
        return ReconcileResult.Done;
    }

    private async Task CountedAsync(UntypedObject widget, Func<Task> body, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(widget);
        Interlocked.Increment(ref _reconciles);
        var running = _inFlight.AddOrUpdate(key, 1, (_, count) => count + 1);
        UpdateMax(running);
        try
        {
            if (BeforeReconcile is { } before)
            {
                await before(key, cancellationToken);
            }

            if (AfterCacheRead is { } afterRead)
            {
                await afterRead(widget, cancellationToken);
            }

            await body();
        }
        finally
        {
            _inFlight.AddOrUpdate(key, 0, (_, count) => count - 1);
        }
    }

    private async Task<ReconcileResult> ApplyAsync(UntypedObject widget, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(widget);
        var size = widget.Fields?.TryGetValue("spec", out var spec) == true ? spec.GetProperty("size").GetInt32() : 0;
        var desired = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = key.Name + "-config", NamespaceProperty = key.Namespace, Labels = new Dictionary<string, string>() { ["example.dev/widget"] = key.Name } },
            Data = new Dictionary<string, string>() { ["size"] = size.ToString(CultureInfo.InvariantCulture) },
        };
        var applied = await _configMapApplier.ApplyAsync(desired, configMaps.Cache.Get(key.Namespace, desired.Metadata.Name), widget, cancellationToken);
        if (applied.Written)
        {
            events?.Record(widget, EventTypes.Normal, "ConfigApplied", "Reconcile", $"applied ConfigMap {desired.Metadata.Name}");
        }

        var currentConditions = widget.Fields?.TryGetValue("status", out var status) == true && status.TryGetProperty("conditions", out var list)
            ? list.EnumerateArray().Select(item => item.Deserialize(EntityJson.TypeInfo<V1Condition>())!).ToList()
            : [];
        var conditions = StatusConditions.Merge(
            currentConditions,
            [new V1Condition { Type = "Ready", Status = ConditionStatus.True, Reason = "Reconciled", Message = $"size {size}", ObservedGeneration = widget.Metadata.Generation }],
            TimeProvider.System);
        var desiredStatus = new JsonObject
        {
            ["phase"] = "Ready",
            ["observedGeneration"] = widget.Metadata.Generation,
            ["conditions"] = new JsonArray([.. conditions.Select(condition => JsonSerializer.SerializeToNode(condition, EntityJson.TypeInfo<V1Condition>()))]),
        };
        await _statusApplier.ApplyStatusAsync(widget, desiredStatus, cancellationToken);
        return Result;
    }

    private void UpdateMax(int running)
    {
        int seen;
        while (running > (seen = Volatile.Read(ref _maxInFlightPerKey)) && Interlocked.CompareExchange(ref _maxInFlightPerKey, running, seen) != seen)
        {
        }
    }
}
