using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// The informer's thread-safe copy of the objects it watches, keyed by <see cref="ObjectKey"/>. Controllers read the
/// current object from here when they reconcile a key, instead of carrying snapshots around. Only the informer's
/// reflector writes; the objects handed out are shared and must be treated as read-only.
/// </summary>
public sealed class InformerCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<ObjectKey, T> _items = new();

    public int Count => _items.Count;

    /// <summary>The current object, or null when it does not exist (or was deleted).</summary>
    public T? Get(ObjectKey key) => _items.TryGetValue(key, out var value) ? value : null;

    public T? Get(string @namespace, string name) => Get(new ObjectKey(@namespace, name));

    public IReadOnlyList<ObjectKey> Keys() => [.. _items.Keys];

    public IReadOnlyList<T> List() => [.. _items.Values];

    /// <summary>The objects of one namespace (empty string: the cluster-scoped ones).</summary>
    public IReadOnlyList<T> List(string @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        return [.. _items.Where(pair => pair.Key.Namespace == @namespace).Select(pair => pair.Value)];
    }

    /// <summary>Stores the object and returns the one it replaced, if any.</summary>
    internal T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        T? previous = null;
        _items.AddOrUpdate(key, obj, (_, old) =>
        {
            previous = old;
            return obj;
        });
        return previous;
    }

    /// <summary>Removes the object and returns its last stored state, if it was there.</summary>
    internal T? Remove(ObjectKey key) => _items.TryRemove(key, out var old) ? old : null;

    /// <summary>
    /// Makes the cache equal to a fresh LIST and reports the changes that implies to <paramref name="changes"/>, in
    /// order: adds (<paramref name="initial"/> for the first LIST) and updates for the listed objects, then a delete
    /// (final state unknown) for every cached key the list no longer has, which is how a deletion the watch missed
    /// (during a 410 gap) still reaches the handlers.
    /// </summary>
    internal void Replace(IReadOnlyList<T> listed, bool initial, ResourceEventHandler<T> changes)
    {
        var seen = new HashSet<ObjectKey>();
        foreach (var obj in listed)
        {
            seen.Add(ObjectKey.Of(obj));
            if (Upsert(obj) is { } previous)
            {
                changes.Updated?.Invoke(previous, obj);
            }
            else
            {
                changes.Added?.Invoke(obj, initial);
            }
        }

        foreach (var key in _items.Keys)
        {
            if (!seen.Contains(key) && Remove(key) is { } vanished)
            {
                changes.Deleted?.Invoke(vanished, true);
            }
        }
    }
}
