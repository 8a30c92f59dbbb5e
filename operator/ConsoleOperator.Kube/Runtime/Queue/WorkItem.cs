namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// What <see cref="WorkQueue{TKey}.GetAsync"/> hands a worker: a key to process (and later pass to
/// <see cref="WorkQueue{TKey}.Done"/>), or, when <see cref="IsShutDown"/>, the signal that the queue shut down and the
/// worker should stop.
/// </summary>
public readonly record struct WorkItem<TKey>(bool IsShutDown, TKey? KeyOrDefault)
    where TKey : notnull
{
    public TKey Key => IsShutDown
        ? throw new InvalidOperationException("The work queue is shut down: this item carries no key.")
        : KeyOrDefault!;
}
