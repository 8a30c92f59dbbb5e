namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// Receives an informer's changes, in the order they happened, on the informer's single dispatch loop. The cache
/// already holds the new state when a call arrives. Calls must be quick and must not block (enqueue a key, nothing
/// more); the objects are the cache's own and must not be modified.
/// </summary>
public interface IResourceEventHandler<in T>
{
    /// <param name="isInInitialList">The object came with the informer's first LIST (or with a replay to a late handler).</param>
    void OnAdded(T obj, bool isInInitialList);

    /// <summary>A new version, or the same one again after a relist (then both carry the same resourceVersion).</summary>
    void OnUpdated(T oldObj, T newObj);

    /// <param name="finalStateUnknown">
    /// The deletion was inferred from a relist (the watch missed it): <paramref name="obj"/> is the last state seen.
    /// </param>
    void OnDeleted(T obj, bool finalStateUnknown);
}
