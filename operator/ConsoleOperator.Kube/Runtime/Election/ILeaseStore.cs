using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// Reads and writes the one Lease an elector contends for, as the library's <see cref="V1Lease"/>. Implemented over the
/// Kubernetes client (GET/POST/PUT of coordination.k8s.io/v1 leases); kept this small so the election logic can be
/// tested against an in-memory store. A write that loses a race throws what the API server answers: a
/// <see cref="Client.Errors.KubernetesApiException"/> that IsConflict (409) or IsAlreadyExists.
/// </summary>
public interface ILeaseStore
{
    /// <summary>A human-readable name of the lease (e.g. <c>namespace/name</c>) for logs.</summary>
    string Description { get; }

    /// <summary>The current lease, or null if it does not exist.</summary>
    Task<V1Lease?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the lease (the store names it); AlreadyExists if someone created it first.</summary>
    Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Replaces the lease if its resourceVersion is still the one in <paramref name="lease"/>'s metadata; 409 Conflict otherwise.</summary>
    Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken);
}
