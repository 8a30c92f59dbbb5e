namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// What <see cref="WorkQueue{TKey}.GetAsync"/> hands a worker: a key to process (and later pass to
/// <see cref="WorkQueue{TKey}.Done"/>), or the signal that the queue shut down and the worker should stop.
/// </summary>
public readonly record struct WorkItem<TKey>
    where TKey : notnull
{
    private readonly TKey? _key;

    internal WorkItem(TKey key)
    {
        _key = key;
        IsShutDown = false;
    }

    private WorkItem(bool shutDown)
    {
        _key = default;
        IsShutDown = shutDown;
    }

    internal static WorkItem<TKey> ShutDown { get; } = new(shutDown: true);

    /// <summary>True when the queue is shut down and empty: there is no key, the worker should exit.</summary>
    public bool IsShutDown { get; }

    public TKey Key => IsShutDown
        ? throw new InvalidOperationException("The work queue is shut down: this item carries no key.")
        : _key!;
}
