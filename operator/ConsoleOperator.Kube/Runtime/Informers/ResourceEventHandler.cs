namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// Receives an informer's changes, in the order they happened, on the informer's single dispatch loop; the delegates
/// left null ignore their change. The cache already holds the new state when a call arrives. Calls must be quick and
/// must not block (enqueue a key, nothing more); the objects are the cache's own and must not be modified.
/// </summary>
public sealed class ResourceEventHandler<T>
{
    /// <summary>An add; the flag says the object came with the informer's first LIST (or with a replay to a late handler).</summary>
    public Action<T, bool>? Added { get; init; }

    /// <summary>Old and new state: a new version, or the same one again after a relist (both with one resourceVersion).</summary>
    public Action<T, T>? Updated { get; init; }

    /// <summary>A deletion; the flag says it was inferred from a relist (the watch missed it) and the object is the last state seen.</summary>
    public Action<T, bool>? Deleted { get; init; }
}
