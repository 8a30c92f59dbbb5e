using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Runtime.Election;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Leases;

/// <summary>
/// The <see cref="ILeaseStore"/> of a coordination.k8s.io/v1 Lease (the library's <see cref="V1Lease"/>): GET, POST to
/// create, PUT conditional on the resourceVersion to renew or take over (the model is complete, so a full
/// replacement loses nothing; labels and annotations of the last read are carried over). 409 and AlreadyExists become
/// <see cref="LeaseConflictException"/>; times go out as MicroTime with six fractional digits.
/// </summary>
public sealed class KubernetesLeaseStore : ILeaseStore
{
    private readonly EntityClient<V1Lease> _leases;
    private readonly string _name;
    private readonly Lock _gate = new();
    private V1Lease? _lastSeen;

    /// <param name="leases">The lease client, bound to the lease's namespace.</param>
    public KubernetesLeaseStore(EntityClient<V1Lease> leases, string name)
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

    public async Task<LeaseRecord?> GetAsync(CancellationToken cancellationToken)
    {
        var lease = await _leases.GetOrDefaultAsync(_name, cancellationToken);
        Remember(lease);
        return lease is null ? null : ToRecord(lease);
    }

    public async Task<LeaseRecord> CreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = _name, NamespaceProperty = _leases.Namespace },
            Spec = ToSpec(record),
        };
        try
        {
            var created = await _leases.CreateAsync(lease, cancellationToken);
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
        V1Lease? basis;
        lock (_gate)
        {
            basis = _lastSeen;
        }

        var metadata = basis is not null && basis.Metadata.ResourceVersion == expectedResourceVersion
            ? CopyWithoutManagedFields(basis.Metadata)
            : new V1ObjectMeta { Name = _name, NamespaceProperty = _leases.Namespace, ResourceVersion = expectedResourceVersion };
        var lease = new V1Lease { Metadata = metadata, Spec = ToSpec(record) };
        try
        {
            var updated = await _leases.ReplaceAsync(lease, cancellationToken);
            Remember(updated);
            return ToRecord(updated);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            throw new LeaseConflictException($"Lease {Description} changed since resourceVersion {expectedResourceVersion}.", e);
        }
    }

    /// <summary>The library's models are mutable classes: the remembered lease is copied, not changed.</summary>
    private static V1ObjectMeta CopyWithoutManagedFields(V1ObjectMeta metadata)
    {
        var copy = KubernetesJson.Deserialize<V1ObjectMeta>(KubernetesJson.Serialize(metadata));
        copy.ManagedFields = null;
        return copy;
    }

    private void Remember(V1Lease? lease)
    {
        lock (_gate)
        {
            _lastSeen = lease;
        }
    }

    private static V1LeaseSpec ToSpec(LeaseRecord record) => new()
    {
        HolderIdentity = string.IsNullOrEmpty(record.HolderIdentity) ? null : record.HolderIdentity,
        LeaseDurationSeconds = record.LeaseDurationSeconds,
        AcquireTime = record.AcquireTime is { } acquired ? MicroTime.Truncate(acquired).UtcDateTime : null,
        RenewTime = record.RenewTime is { } renewed ? MicroTime.Truncate(renewed).UtcDateTime : null,
        LeaseTransitions = record.LeaseTransitions,
    };

    private static LeaseRecord ToRecord(V1Lease lease)
    {
        var spec = lease.Spec ?? new V1LeaseSpec();
        return new LeaseRecord(
            spec.HolderIdentity,
            spec.LeaseDurationSeconds ?? 0,
            spec.AcquireTime is { } acquired ? MicroTime.Truncate(Utc(acquired)) : null,
            spec.RenewTime is { } renewed ? MicroTime.Truncate(Utc(renewed)) : null,
            spec.LeaseTransitions ?? 0)
        {
            ResourceVersion = lease.Metadata.ResourceVersion,
        };
    }

    /// <summary>The library reads times as UTC; an unspecified kind is taken as UTC, never as local time.</summary>
    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
