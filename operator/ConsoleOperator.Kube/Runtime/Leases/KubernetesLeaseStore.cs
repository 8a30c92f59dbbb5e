using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Election;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Leases;

/// <summary>
/// The <see cref="ILeaseStore"/> of a coordination.k8s.io/v1 Lease: GET, POST to create, PUT conditional on the
/// resourceVersion to renew or take over (the model is complete, so a full replacement loses nothing). Times go out as
/// MicroTime with six fractional digits (<see cref="EntityJson"/>).
/// </summary>
public sealed class KubernetesLeaseStore : ILeaseStore
{
    private readonly ResourceClient<V1Lease> _leases;
    private readonly string _name;

    /// <param name="leases">The lease client, bound to the lease's namespace.</param>
    public KubernetesLeaseStore(ResourceClient<V1Lease> leases, string name)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (leases.Namespace is null)
        {
            throw new ArgumentException("A Lease is namespaced: bind the client to a namespace with InNamespace(...).", nameof(leases));
        }

        _leases = leases;
        _name = name;
    }

    public string Description => $"{_leases.Namespace}/{_name}";

    public Task<V1Lease?> GetAsync(CancellationToken cancellationToken) => _leases.GetOrDefaultAsync(_name, cancellationToken);

    public Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken) => _leases.CreateAsync(Named(lease), cancellationToken);

    public Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) => _leases.ReplaceAsync(Named(lease), cancellationToken);

    private V1Lease Named(V1Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lease.Metadata ??= new V1ObjectMeta();
        lease.Metadata.Name = _name;
        lease.Metadata.NamespaceProperty = _leases.Namespace;
        return lease;
    }
}
