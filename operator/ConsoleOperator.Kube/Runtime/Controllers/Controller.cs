using System.Collections.Concurrent;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Finalizers;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Queue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Reconciles one primary kind with the author's <see cref="IEntityController{TEntity}"/> and
/// <see cref="IEntityFinalizer{TEntity}"/>s: changes of the primary objects, and of watched objects mapped to their
/// primary's key, put keys on a work queue; N workers take keys and call the author's code. The queue guarantees a key
/// is never reconciled by two workers at once and collapses repeats. Failures retry with backoff; conflicts retry
/// quietly; a 404 on the object itself (deleted mid-reconcile) ends the reconcile quietly, without a retry. Each run
/// builds a fresh queue seeded with every cached primary key, so a controller that stops (lost leadership) and starts
/// again misses nothing.
/// It owns the finalizer protocol so no controller writes it: names added before the first reconcile (one guarded JSON
/// Patch each), and on a terminating object each finalizer run and its name removed after it succeeded. An object whose
/// remaining finalizers belong to others is left alone. Deleted objects reach
/// <see cref="IEntityController{TEntity}.DeletedAsync"/> with their last cached state.
/// </summary>
public sealed class Controller<T> : IController
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private readonly ResourceClient<T> _client;
    private readonly IEntityController<T> _controller;
    private readonly IReadOnlyList<KeyValuePair<string, IEntityFinalizer<T>>> _finalizers;
    private readonly ControllerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics? _metrics;
    private readonly List<IInformer> _informers = [];

    // The last state of deleted objects until their DeletedAsync ran; the informer's cache forgets them at once.
    private readonly ConcurrentDictionary<ObjectKey, T> _lastSeen = new();

    // The resourceVersion each object had when one of our finalizers ran and its name was removed: a reconcile that
    // still finds that version in the cache (which has not yet seen the removal) must not run the finalizer again.
    private readonly ConcurrentDictionary<ObjectKey, string> _finalizedVersions = new();
    private WorkQueue<ObjectKey>? _queue;
    private int _running;

    /// <param name="client">Writes the finalizer patches; namespaced kinds may be unbound (each object's own namespace is used).</param>
    /// <param name="finalizers">By finalizer name, run in this order.</param>
    public Controller(
        string name,
        Informer<T> primary,
        ResourceClient<T> client,
        IEntityController<T> controller,
        IEnumerable<KeyValuePair<string, IEntityFinalizer<T>>>? finalizers = null,
        ControllerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(controller);
        options ??= new ControllerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CacheSyncTimeout, TimeSpan.Zero);
        Name = name;
        Primary = primary;
        _client = client;
        _controller = controller;
        _finalizers = [.. finalizers ?? []];
        if (_finalizers.GroupBy(f => f.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"finalizer '{duplicate.Key}' is registered twice for {client.Descriptor.Kind}", nameof(finalizers));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"ConsoleOperator.Kube.Runtime.Controllers.{name}");
        _metrics = options.Metrics is null ? null : new ControllerMetrics(options.Metrics);
        _metrics?.Initialize(name, options.Workers);

        // The primary is its own watch, mapped to its own key (an update's old and new key collapse into one add).
        Watches(primary, obj => [ObjectKey.Of(obj)]);
        primary.AddEventHandler(new ResourceEventHandler<T> { Deleted = (entity, _) => _lastSeen[ObjectKey.Of(entity)] = entity });
    }

    public string Name { get; }

    public Informer<T> Primary { get; }

    public IReadOnlyList<IInformer> Informers => _informers;

    /// <summary>True while workers run (between sync and cancellation).</summary>
    public bool IsRunning => Volatile.Read(ref _queue) is not null;

    /// <summary>
    /// Also reconciles the owner named by a watched object's controller ownerReference, when that owner is of this
    /// controller's kind, the way controller-runtime's EnqueueRequestForOwner does. Call before the controller runs.
    /// </summary>
    public Controller<T> Owns<TOwned>(Informer<TOwned> informer)
        where TOwned : class, IKubernetesObject<V1ObjectMeta> => Watches(informer, (TOwned obj) => OwnerKeys(obj, _client.Descriptor));

    /// <summary>
    /// Also reconciles when a watched object changes: <paramref name="map"/> names the primary keys it concerns. On an
    /// update both the old and the new state are mapped, so a primary that lost the object hears of it too. Call before
    /// the controller runs.
    /// </summary>
    public Controller<T> Watches<TWatched>(Informer<TWatched> informer, Func<TWatched, IEnumerable<ObjectKey>> map)
        where TWatched : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(map);
        if (_running != 0)
        {
            throw new InvalidOperationException($"Controller {Name} is running: add watches before it starts.");
        }

        _informers.Add(informer);
        informer.AddEventHandler(new ResourceEventHandler<TWatched>
        {
            Added = (obj, _) => EnqueueAll(map(obj)),
            Updated = (oldObj, newObj) =>
            {
                // The same version again (a relist) changes nothing a reconcile could act on.
                if (oldObj.Metadata.ResourceVersion != newObj.Metadata.ResourceVersion)
                {
                    // Distinct: the primary maps old and new to one key, and two adds of it could straddle a worker's
                    // Get, reconciling twice (the second time from a cache behind that reconcile's own writes).
                    EnqueueAll(map(oldObj).Concat(map(newObj)).Distinct());
                }
            },
            Deleted = (obj, _) => EnqueueAll(map(obj)),
        });
        return this;
    }

    /// <summary>
    /// Asks for a reconcile of <paramref name="key"/> from outside the informers (KubeOps' <c>EntityRequeue</c>), e.g. a
    /// token store that lost its data. Dropped while the controller does not run (standby replica, stopping): the next
    /// run seeds every key.
    /// </summary>
    public void Enqueue(ObjectKey key) => Volatile.Read(ref _queue)?.Add(key);

    /// <summary>Like <see cref="Enqueue"/>, after a delay (the earliest pending deadline wins).</summary>
    public void EnqueueAfter(ObjectKey key, TimeSpan delay) => Volatile.Read(ref _queue)?.AddAfter(key, delay);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"Controller {Name} is already running.");
        }

        try
        {
            foreach (var informer in _informers)
            {
                if (!await informer.WaitForSyncAsync(_options.CacheSyncTimeout, cancellationToken))
                {
                    throw new TimeoutException($"Controller {Name}: informer {informer.Name} did not sync within {_options.CacheSyncTimeout}.");
                }
            }

            using var workQueue = new WorkQueue<ObjectKey>(
                Name, _time, _options.RateLimiter?.Invoke(_time), _options.Metrics is null ? null : new WorkQueueMetrics(_options.Metrics, Name));

            // Publish the queue first, then seed it: a change racing with the seeding lands in the queue either way.
            Volatile.Write(ref _queue, workQueue);
            foreach (var key in Primary.Cache.Keys())
            {
                workQueue.Add(key);
            }

            _logger.LogInformation("Controller {Controller}: starting {Workers} workers", Name, _options.Workers);
            var workers = Enumerable.Range(0, _options.Workers)
                .Select(_ => Task.Run(() => WorkAsync(workQueue, cancellationToken), CancellationToken.None));
            try
            {
                await Task.WhenAll(workers);
            }
            finally
            {
                Volatile.Write(ref _queue, null);
                workQueue.ShutDown();
                _logger.LogInformation("Controller {Controller}: workers stopped", Name);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting for the caches: nothing ran, nothing to undo.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task WorkAsync(WorkQueue<ObjectKey> workQueue, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            WorkItem<ObjectKey> item;
            try
            {
                item = await workQueue.GetAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (item.IsShutDown)
            {
                return;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // Stopping: the next run seeds every key again, so dropping this one loses nothing.
                workQueue.Done(item.Key);
                return;
            }

            await ProcessAsync(workQueue, item.Key, cancellationToken);
        }
    }

    private async Task ProcessAsync(WorkQueue<ObjectKey> workQueue, ObjectKey key, CancellationToken cancellationToken)
    {
        _metrics?.WorkerBusy(Name);
        var started = _time.GetTimestamp();
        string? outcome = null;
        try
        {
            var result = await ReconcileOnceAsync(key, cancellationToken);
            workQueue.Forget(key);
            if (result.RequeueAfterDelay is { } delay)
            {
                workQueue.AddAfter(key, delay);
                outcome = ControllerMetrics.RequeueAfter;
            }
            else if (result.Requeue)
            {
                workQueue.AddRateLimited(key);
                outcome = ControllerMetrics.Requeue;
            }
            else
            {
                outcome = ControllerMetrics.Success;
            }

            _logger.LogDebug("Controller {Controller}: reconciled {Key}: {Result}", Name, key, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cut short by the controller stopping: neither a success nor a failure.
        }
        catch (Exception e) when (IsConflict(e))
        {
            // Someone wrote first: the informer brings the newer state, and a retry works from it.
            _logger.LogDebug("Controller {Controller}: conflict reconciling {Key}, requeued: {Message}", Name, key, e.Message);
            workQueue.AddRateLimited(key);
            outcome = ControllerMetrics.Requeue;
        }
        catch (Exception e) when (IsPrimaryGone(e, key, Primary.Cache.Get(key) is not null))
        {
            // Deleted while we worked on it: the deletion's own event brings the key back if anything is left to do.
            _logger.LogDebug("Controller {Controller}: {Key} is gone (404), nothing left to reconcile: {Message}", Name, key, e.Message);
            workQueue.Forget(key);
            outcome = ControllerMetrics.Success;
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Controller {Controller}: reconciling {Key} failed (retry {Retry})", Name, key, workQueue.NumRequeues(key) + 1);
            workQueue.AddRateLimited(key);
            outcome = ControllerMetrics.Error;
        }
        finally
        {
            workQueue.Done(key);
            _metrics?.WorkerIdle(Name);
            if (outcome is { } counted)
            {
                _metrics?.ReconcileFinished(Name, counted, _time.GetElapsedTime(started));
            }
        }
    }

    /// <summary>
    /// One reconcile of <paramref name="key"/> from the cache, as a worker runs it but outside the queue (no retry, no
    /// metrics): tests step the loop with it. Absent from the cache means deleted.
    /// </summary>
    public async Task<ReconcileResult> ReconcileOnceAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var entity = Primary.Cache.Get(key);
        if (entity is null)
        {
            _finalizedVersions.TryRemove(key, out _);
            if (!_lastSeen.TryGetValue(key, out var last))
            {
                return await _controller.DeletedAsync(NameOnly(key), cancellationToken);
            }

            var result = await _controller.DeletedAsync(last, cancellationToken);
            // Only this state: the deletion of a re-created object, arriving meanwhile, keeps its own call.
            _lastSeen.TryRemove(new KeyValuePair<ObjectKey, T>(key, last));
            return result;
        }

        _lastSeen.TryRemove(key, out _);
        if (entity.DeletionTimestamp() is not null)
        {
            if (_finalizedVersions.TryGetValue(key, out var finalized) && finalized == entity.Metadata.ResourceVersion)
            {
                // The removal's own watch event brings the key back with the object as the server has it.
                return ReconcileResult.Done;
            }

            return await FinalizeAsync(key, entity, cancellationToken);
        }

        _finalizedVersions.TryRemove(key, out _);
        foreach (var (name, _) in _finalizers)
        {
            entity = await FinalizerPatcher.AddAsync(_client, entity, name, cancellationToken);
        }

        return await _controller.ReconcileAsync(entity, cancellationToken);
    }

    /// <summary>
    /// Runs the first of our finalizers still on the object and removes its name; the update that removal causes brings
    /// the key back for the next one, so each step starts from the object as the server has it.
    /// </summary>
    private async Task<ReconcileResult> FinalizeAsync(ObjectKey key, T entity, CancellationToken cancellationToken)
    {
        if (_finalizers.FirstOrDefault(f => entity.HasFinalizer(f.Key)) is { Value: { } finalizer } first)
        {
            await finalizer.FinalizeAsync(entity, cancellationToken);
            await FinalizerPatcher.RemoveAsync(_client, entity, first.Key, cancellationToken);
            _finalizedVersions[key] = entity.Metadata.ResourceVersion;
        }

        return ReconcileResult.Done;
    }

    // Owners live in the object's namespace (namespaced owners cannot own objects elsewhere).
    internal static IEnumerable<ObjectKey> OwnerKeys(IKubernetesObject<V1ObjectMeta> obj, ResourceDescriptor owner)
    {
        var reference = obj.Metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true);
        if (reference is null || reference.ApiVersion != owner.ApiVersion || reference.Kind != owner.Kind || string.IsNullOrEmpty(reference.Name))
        {
            return [];
        }

        return [new ObjectKey(obj.Metadata.NamespaceProperty ?? string.Empty, reference.Name)];
    }

    /// <summary>A 409 Conflict anywhere in the exception chain (an aggregate only when all its parts are conflicts).</summary>
    internal static bool IsConflict(Exception exception) =>
        Chain(exception).FirstOrDefault(e => e is KubernetesApiException { IsConflict: true } or AggregateException) switch
        {
            // An aggregate is a conflict only when every part is: one real failure among conflicts is a failure.
            AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConflict),
            var conflict => conflict is not null,
        };

    /// <summary>
    /// A 404 NotFound in the exception chain that names <paramref name="key"/>'s object, or any 404 while the primary
    /// is no longer cached (its deletion already arrived). A 404 about some other object (a missing dependency) stays a
    /// failure while the primary is cached.
    /// </summary>
    internal static bool IsPrimaryGone(Exception exception, ObjectKey key, bool primaryCached)
    {
        var notFound = Chain(exception).OfType<KubernetesApiException>().FirstOrDefault(e => e.IsNotFound);
        return notFound is not null && (!primaryCached || string.Equals(notFound.Status.Details?.Name, key.Name, StringComparison.Ordinal));
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private static T NameOnly(ObjectKey key) =>
        new T { Metadata = new V1ObjectMeta { Name = key.Name, NamespaceProperty = key.IsClusterScoped ? null : key.Namespace } }.WithTypeMeta();

    private void EnqueueAll(IEnumerable<ObjectKey> keys)
    {
        foreach (var key in keys)
        {
            Enqueue(key);
        }
    }
}
