namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// The election-relevant part of a coordination.k8s.io/v1 Lease: its spec and the resourceVersion
/// used for optimistic concurrency. A null or empty holder means the lease is free.
/// </summary>
public sealed record LeaseRecord(
    string? HolderIdentity,
    int LeaseDurationSeconds,
    DateTimeOffset? AcquireTime,
    DateTimeOffset? RenewTime,
    int LeaseTransitions)
{
    /// <summary>The object's resourceVersion as last read or written; null for a record not stored yet.</summary>
    public string? ResourceVersion { get; init; }

    public bool IsHeld => !string.IsNullOrEmpty(HolderIdentity);

    /// <summary>
    /// Whether the spec is the same (the resourceVersion is ignored): a change means the holder wrote
    /// the lease, which restarts the local expiry clock.
    /// </summary>
    public bool HasSameSpec(LeaseRecord? other) =>
        other is not null
        && string.Equals(HolderIdentity ?? string.Empty, other.HolderIdentity ?? string.Empty, StringComparison.Ordinal)
        && LeaseDurationSeconds == other.LeaseDurationSeconds
        && AcquireTime == other.AcquireTime
        && RenewTime == other.RenewTime
        && LeaseTransitions == other.LeaseTransitions;
}
