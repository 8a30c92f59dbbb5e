using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Models.Coordination;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Election;

namespace ConsoleOperator.Kube.Runtime.Leases;

/// <summary>
/// The <see cref="ILeaseStore"/> of a coordination.k8s.io/v1 Lease: GET, POST to create, PUT conditional on the
/// resourceVersion to renew or take over (a Lease is modelled completely, so a full replacement loses nothing;
/// labels and annotations of the last read are carried over). 409 and AlreadyExists become
/// <see cref="LeaseConflictException"/>; times go out as MicroTime with six fractional digits.
/// </summary>
public sealed class KubernetesLeaseStore : ILeaseStore
{
    private readonly ResourceClient<Lease> leases;
    private readonly string name;
    private readonly Lock gate = new();
    private Lease? lastSeen;

    /// <param name="leases">The lease client, bound to the lease's namespace.</param>
    public KubernetesLeaseStore(ResourceClient<Lease> leases, string name)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (leases.Namespace is null)
        {
            throw new ArgumentException("A Lease is namespaced: bind the client to a namespace with InNamespace(...).", nameof(leases));
        }

        this.leases = leases;
        this.name = name;
    }

    public string Description => $"{leases.Namespace}/{name}";

    public async Task<LeaseRecord?> GetAsync(CancellationToken cancellationToken)
    {
        var lease = await leases.GetOrDefaultAsync(name, cancellationToken);
        Remember(lease);
        return lease is null ? null : ToRecord(lease);
    }

    public async Task<LeaseRecord> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var lease = new Lease
        {
            Metadata = new ObjectMeta { Name = name, Namespace = leases.Namespace },
            Spec = ToSpec(record),
        };
        try
        {
            var created = await leases.CreateAsync(lease, cancellationToken: cancellationToken);
            Remember(created);
            return ToRecord(created);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists || e.IsConflict)
        {
            throw new LeaseConflictException($"Lease {Description} was created by someone else first.", e);
        }
    }

    public async Task<LeaseRecord> UpdateAsync(LeaseRecord record, string? expectedResourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        Lease? basis;
        lock (gate)
        {
            basis = lastSeen;
        }

        var metadata = basis is not null && basis.Metadata.ResourceVersion == expectedResourceVersion
            ? basis.Metadata with { ManagedFields = null, ResourceVersion = expectedResourceVersion }
            : new ObjectMeta { Name = name, Namespace = leases.Namespace, ResourceVersion = expectedResourceVersion };
        var lease = new Lease { Metadata = metadata, Spec = ToSpec(record) };
        try
        {
            var updated = await leases.ReplaceAsync(lease, cancellationToken: cancellationToken);
            Remember(updated);
            return ToRecord(updated);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            throw new LeaseConflictException($"Lease {Description} changed since resourceVersion {expectedResourceVersion}.", e);
        }
    }

    private void Remember(Lease? lease)
    {
        lock (gate)
        {
            lastSeen = lease;
        }
    }

    private static LeaseSpec ToSpec(LeaseRecord record) => new()
    {
        HolderIdentity = string.IsNullOrEmpty(record.HolderIdentity) ? null : record.HolderIdentity,
        LeaseDurationSeconds = record.LeaseDurationSeconds,
        AcquireTime = record.AcquireTime is { } acquired ? MicroTime.Truncate(acquired) : null,
        RenewTime = record.RenewTime is { } renewed ? MicroTime.Truncate(renewed) : null,
        LeaseTransitions = record.LeaseTransitions,
    };

    private static LeaseRecord ToRecord(Lease lease)
    {
        var spec = lease.Spec ?? new LeaseSpec();
        return new LeaseRecord(
            spec.HolderIdentity,
            spec.LeaseDurationSeconds ?? 0,
            spec.AcquireTime is { } acquired ? MicroTime.Truncate(acquired) : null,
            spec.RenewTime is { } renewed ? MicroTime.Truncate(renewed) : null,
            spec.LeaseTransitions ?? 0)
        {
            ResourceVersion = lease.Metadata.ResourceVersion,
        };
    }
}
