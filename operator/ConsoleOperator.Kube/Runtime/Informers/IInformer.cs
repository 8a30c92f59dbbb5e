namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>What a controller manager needs of any informer, whatever its object type.</summary>
public interface IInformer
{
    string Name { get; }

    /// <summary>True once the first LIST has been stored and delivered to every handler.</summary>
    bool HasSynced { get; }

    /// <summary>Lists, watches and dispatches until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Waits until <see cref="HasSynced"/>; false when <paramref name="timeout"/> passes first.</summary>
    Task<bool> WaitForSyncAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
