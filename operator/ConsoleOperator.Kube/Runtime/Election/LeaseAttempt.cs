namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>How one try to acquire or renew the lease ended.</summary>
internal enum LeaseAttempt
{
    /// <summary>The lease is ours, freshly written.</summary>
    Held,

    /// <summary>Another candidate holds a lease that has not expired by our observation.</summary>
    HeldByOther,

    /// <summary>The API could not be reached or refused the write: try again later.</summary>
    Failed,
}
