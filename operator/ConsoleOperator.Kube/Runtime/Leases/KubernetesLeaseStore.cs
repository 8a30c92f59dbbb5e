using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Election;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Leases;

/// <summary>
/// The <see cref="ILeaseStore"/> of a coordination.k8s.io/v1 Lease: GET, POST to create, PUT conditional on the
/// resourceVersion to renew or take over (the model is complete, so a full replacement loses nothing). Times go out as
/// MicroTime with six fractional digits (<see cref="EntityJson"/>).
/// </summary>
/// <param name="leases">The lease client, bound to the lease's namespace.</param>
public sealed class KubernetesLeaseStore(ResourceClient<V1Lease> leases, string name) : ILeaseStore
{
    private readonly string _namespace = leases?.Namespace
        ?? throw new ArgumentException("A Lease is namespaced: bind the client to a namespace with InNamespace(...).", nameof(leases));

    private readonly string _name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A Lease needs a name.", nameof(name)) : name;

    public string Description => $"{_namespace}/{_name}";

    public Task<V1Lease?> GetAsync(CancellationToken cancellationToken) => leases.GetOrDefaultAsync(_name, cancellationToken);

    public Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken) => leases.CreateAsync(Named(lease), cancellationToken);

    public Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) => leases.ReplaceAsync(Named(lease), cancellationToken);

    private V1Lease Named(V1Lease lease)
    {
        lease.Metadata ??= new V1ObjectMeta();
        lease.Metadata.Name = _name;
        lease.Metadata.NamespaceProperty = _namespace;
        return lease;
    }
}
