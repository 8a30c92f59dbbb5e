using System.Collections.Concurrent;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Finalizers;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Entities;

/// <summary>
/// Turns a key from the work queue into a call of the author's controller or finalizers, and owns the finalizer
/// protocol so no controller writes it: names added before the first reconcile (one guarded JSON Patch each), and on a
/// terminating object each finalizer run and its name removed after it succeeded. An object whose remaining
/// finalizers belong to others is left alone. Deleted objects reach <see cref="IEntityController{TEntity}.DeletedAsync"/>
/// with their last cached state.
/// </summary>
public sealed class EntityReconciler<TEntity> : IReconciler<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private readonly Informer<TEntity> _informer;
    private readonly ResourceClient<TEntity> _client;
    private readonly IEntityController<TEntity> _controller;
    private readonly IReadOnlyList<KeyValuePair<string, IEntityFinalizer<TEntity>>> _finalizers;

    // The last state of deleted objects until their DeletedAsync ran; the informer's cache forgets them at once.
    private readonly ConcurrentDictionary<ObjectKey, TEntity> _lastSeen = new();

    // The resourceVersion each object had when one of our finalizers ran and its name was removed: a reconcile that
    // still finds that version in the cache (which has not yet seen the removal) must not run the finalizer again.
    private readonly ConcurrentDictionary<ObjectKey, string> _finalizedVersions = new();

    /// <param name="client">Writes the finalizer patches; namespaced kinds may be unbound (each object's own namespace is used).</param>
    /// <param name="finalizers">By finalizer name, run in this order.</param>
    public EntityReconciler(
        Informer<TEntity> informer,
        ResourceClient<TEntity> client,
        IEntityController<TEntity> controller,
        IEnumerable<KeyValuePair<string, IEntityFinalizer<TEntity>>>? finalizers = null)
    {
        ArgumentNullException.ThrowIfNull(informer);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(controller);
        _informer = informer;
        _client = client;
        _controller = controller;
        _finalizers = [.. finalizers ?? []];
        var duplicate = _finalizers.GroupBy(f => f.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"finalizer '{duplicate.Key}' is registered twice for {client.Descriptor.Kind}", nameof(finalizers));
        }

        informer.AddEventHandler(new ResourceEventHandler<TEntity>
        {
            Deleted = (entity, _) => _lastSeen[ObjectKey.Of(entity)] = entity,
        });
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var entity = _informer.Cache.Get(key);
        if (entity is null)
        {
            _finalizedVersions.TryRemove(key, out _);
            if (!_lastSeen.TryGetValue(key, out var last))
            {
                return await _controller.DeletedAsync(NameOnly(key), cancellationToken);
            }

            var result = await _controller.DeletedAsync(last, cancellationToken);
            // Only this state: the deletion of a re-created object, arriving meanwhile, keeps its own call.
            _lastSeen.TryRemove(new KeyValuePair<ObjectKey, TEntity>(key, last));
            return result;
        }

        _lastSeen.TryRemove(key, out _);
        if (ObjectFinalizers.IsTerminating(entity))
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
    private async Task<ReconcileResult> FinalizeAsync(ObjectKey key, TEntity entity, CancellationToken cancellationToken)
    {
        foreach (var (name, finalizer) in _finalizers)
        {
            if (ObjectFinalizers.Has(entity, name))
            {
                await finalizer.FinalizeAsync(entity, cancellationToken);
                await FinalizerPatcher.RemoveAsync(_client, entity, name, cancellationToken);
                _finalizedVersions[key] = entity.Metadata.ResourceVersion;
                return ReconcileResult.Done;
            }
        }

        return ReconcileResult.Done;
    }

    private static TEntity NameOnly(ObjectKey key) =>
        new TEntity { Metadata = new V1ObjectMeta { Name = key.Name, NamespaceProperty = key.IsClusterScoped ? null : key.Namespace } }.WithTypeMeta();
}
