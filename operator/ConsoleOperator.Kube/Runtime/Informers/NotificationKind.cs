namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>What an informer's dispatch loop is asked to do next.</summary>
internal enum NotificationKind
{
    Added,
    Updated,
    Deleted,

    /// <summary>Every change of the first LIST has been delivered before this one: the informer is synced.</summary>
    Synced,

    /// <summary>A handler added late joins now and first gets the cache's current objects as adds.</summary>
    JoinHandler,
}
