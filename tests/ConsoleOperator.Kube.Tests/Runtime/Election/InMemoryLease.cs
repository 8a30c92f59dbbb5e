using System.Globalization;
using ConsoleOperator.Kube.Runtime.Election;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>
/// One Lease object as the API server keeps it: a resourceVersion bumped on every write, 409 on a
/// stale write or a create of an existing lease. Every write is kept with the (true) time it happened.
/// </summary>
public sealed class InMemoryLease(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset At, LeaseRecord Record)> _writes = [];
    private LeaseRecord? _current;
    private long _version;

    public LeaseRecord? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public IReadOnlyList<(DateTimeOffset At, LeaseRecord Record)> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>The true time of the last write made by <paramref name="holder"/>.</summary>
    public DateTimeOffset LastWriteBy(string holder) => Writes.Last(write => write.Record.HolderIdentity == holder).At;

    public LeaseRecord? Get()
    {
        lock (_gate)
        {
            return _current;
        }
    }

    public LeaseRecord Create(LeaseRecord record)
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                throw new LeaseConflictException("leases.coordination.k8s.io already exists");
            }

            return StoreLocked(record);
        }
    }

    public LeaseRecord Update(LeaseRecord record, string? expectedResourceVersion)
    {
        lock (_gate)
        {
            if (_current is null || _current.ResourceVersion != expectedResourceVersion)
            {
                throw new LeaseConflictException("the object has been modified; please apply your changes to the latest version and try again");
            }

            return StoreLocked(record);
        }
    }

    /// <summary>A write by someone other than the electors (another client, kubectl), bumping the resourceVersion.</summary>
    public LeaseRecord WriteExternally(Func<LeaseRecord?, LeaseRecord> change)
    {
        lock (_gate)
        {
            return StoreLocked(change(_current));
        }
    }

    private LeaseRecord StoreLocked(LeaseRecord record)
    {
        _current = record with { ResourceVersion = (++_version).ToString(CultureInfo.InvariantCulture) };
        _writes.Add((clock.GetUtcNow(), _current));
        return _current;
    }
}
