using System.Globalization;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>
/// One Lease object as the API server keeps it: a resourceVersion bumped on every write, 409 Conflict on a stale write
/// and AlreadyExists on a create of an existing lease. Every write is kept with the (true) time it happened. Leases
/// go in and out as copies, as they would over the wire.
/// </summary>
public sealed class InMemoryLease(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, V1Lease Record)> _writes = [];
    private V1Lease? _current;
    private long _version;

    public V1Lease? Current
    {
        get
        {
            lock (_gate)
            {
                return Copy(_current);
            }
        }
    }

    public IReadOnlyList<(DateTimeOffset At, V1Lease Record)> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes.Select(write => (write.At, Copy(write.Record)!))];
            }
        }
    }

    /// <summary>A spec as a holder writes it, for a test's own writes.</summary>
    public static V1LeaseSpec Spec(string? holder, int durationSeconds, DateTimeOffset at, int transitions) => new()
    {
        HolderIdentity = holder,
        LeaseDurationSeconds = durationSeconds,
        AcquireTime = at.UtcDateTime,
        RenewTime = at.UtcDateTime,
        LeaseTransitions = transitions,
    };

    /// <summary>The true time of the last write made by <paramref name="holder"/>.</summary>
    public DateTimeOffset LastWriteBy(string holder) => Writes.Last(write => write.Record.Spec.HolderIdentity == holder).At;

    public V1Lease? Get() => Current;

    public V1Lease Create(V1Lease lease)
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                throw Refused(409, "AlreadyExists", "leases.coordination.k8s.io already exists");
            }

            return StoreLocked(lease.Spec);
        }
    }

    public V1Lease Replace(V1Lease lease)
    {
        lock (_gate)
        {
            if (_current is null || _current.Metadata.ResourceVersion != lease.Metadata?.ResourceVersion)
            {
                throw Refused(409, "Conflict", "the object has been modified; please apply your changes to the latest version and try again");
            }

            return StoreLocked(lease.Spec);
        }
    }

    /// <summary>A write by someone other than the electors (another client, kubectl), bumping the resourceVersion.</summary>
    public V1Lease WriteExternally(Func<V1LeaseSpec, V1LeaseSpec> change)
    {
        lock (_gate)
        {
            return StoreLocked(change(Copy(_current)?.Spec ?? new V1LeaseSpec()));
        }
    }

    private V1Lease StoreLocked(V1LeaseSpec spec)
    {
        _current = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "console-operator", NamespaceProperty = "kube-system", ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture) },
            Spec = Copy(new V1Lease { Metadata = new V1ObjectMeta(), Spec = spec })!.Spec,
        };
        _writes.Add((clock.GetUtcNow(), _current));
        return Copy(_current)!;
    }

    private static KubernetesApiException Refused(int code, string reason, string message) =>
        new(new V1Status { Status = "Failure", Code = code, Reason = reason, Message = message });

    private static V1Lease? Copy(V1Lease? lease) =>
        lease is null ? null : System.Text.Json.JsonSerializer.Deserialize(System.Text.Json.JsonSerializer.Serialize(lease, EntityJson.TypeInfo<V1Lease>()), EntityJson.TypeInfo<V1Lease>());
}
