using System.Collections.Concurrent;

namespace ConsoleOperator.Kube.Runtime.Apply;

/// <summary>
/// Remembers, per object, the last content an applier wrote and the resourceVersion it overwrote. A reconcile
/// triggered by the echo of one write can run before the echo of another reaches its informer: the cache then still
/// shows exactly the version we already overwrote. Seeing that version again with the same desired content means
/// "our write is on its way", not "someone changed it", so the write is not repeated. Any other version (ours
/// arrived, or someone else wrote after us) is compared as usual; nothing is skipped when the object is absent.
/// </summary>
internal sealed class RecentWrites
{
    // Only an optimisation: past this many objects the memory is simply dropped and one redundant write may follow.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<ObjectKey, (string Fingerprint, string Overwritten)> _writes = new();

    /// <summary>Whether <paramref name="currentResourceVersion"/> is the version our identical last write replaced.</summary>
    public bool IsInFlight(ObjectKey key, string fingerprint, string? currentResourceVersion) =>
        !string.IsNullOrEmpty(currentResourceVersion)
        && _writes.TryGetValue(key, out var last)
        && last.Fingerprint == fingerprint
        && last.Overwritten == currentResourceVersion;

    /// <summary>Notes a successful write of <paramref name="fingerprint"/> over <paramref name="overwrittenResourceVersion"/>.</summary>
    public void Record(ObjectKey key, string fingerprint, string? overwrittenResourceVersion)
    {
        if (string.IsNullOrEmpty(overwrittenResourceVersion))
        {
            _writes.TryRemove(key, out _);
            return;
        }

        if (_writes.Count >= MaxEntries)
        {
            _writes.Clear();
        }

        _writes[key] = (fingerprint, overwrittenResourceVersion);
    }
}
