namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// Reads and writes the one Lease an elector contends for. Implemented over the Kubernetes client
/// (GET/POST/PUT of coordination.k8s.io/v1 leases); kept this small so the election logic can be
/// tested against an in-memory store.
/// </summary>
public interface ILeaseStore
{
    /// <summary>A human-readable name of the lease (e.g. <c>namespace/name</c>) for logs.</summary>
    string Description { get; }

    /// <summary>The current lease, or null if it does not exist.</summary>
    Task<LeaseRecord?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the lease; throws <see cref="LeaseConflictException"/> if it already exists.</summary>
    Task<LeaseRecord> CreateAsync(LeaseRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the lease if its resourceVersion is still <paramref name="expectedResourceVersion"/>;
    /// throws <see cref="LeaseConflictException"/> (HTTP 409) if someone wrote it in between.
    /// </summary>
    Task<LeaseRecord> UpdateAsync(LeaseRecord record, string? expectedResourceVersion, CancellationToken cancellationToken);
}
