using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The fake's etcd plus watch cache: one global revision counter, every revision of every key (so a paged list
/// is served from one consistent snapshot and an Exact list can be answered), an event history for watches that
/// start from an old resourceVersion, and compaction that makes old revisions answer 410 like the real server.
/// All access is serialized by one lock: the fake optimizes for being right, not for throughput.
/// </summary>
public sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, List<StoredVersion>> _history = [];
    private readonly List<StoreEvent> _events = [];
    private readonly List<WatchSubscription> _watchers = [];
    private long _revision;
    private long _compactedRevision;

    public ObjectStore(long initialRevision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialRevision);
        _revision = initialRevision;
        _compactedRevision = initialRevision;
    }

    /// <summary>The newest revision written (what a consistent LIST reports as its resourceVersion).</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Revisions at or below this are gone: older list snapshots and watch starts answer 410.</summary>
    public long CompactedRevision
    {
        get
        {
            lock (_gate)
            {
                return _compactedRevision;
            }
        }
    }

    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>The newest revision of any event of <paramref name="resource"/>, or null when it has none.</summary>
    public long? LatestEventRevision(string resource)
    {
        lock (_gate)
        {
            for (var i = _events.Count - 1; i >= 0; i--)
            {
                if (_events[i].Key.Resource == resource)
                {
                    return _events[i].ResourceVersion;
                }
            }

            return null;
        }
    }

    /// <summary>The current object (a private copy), or null when absent.</summary>
    public JsonObject? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return Parse(Latest(key));
        }
    }

    /// <summary>
    /// The objects of a resource at <paramref name="atRevision"/> (null = now), sorted by namespace then name
    /// (etcd key order), and the revision the snapshot represents.
    /// </summary>
    public (IReadOnlyList<JsonObject> Items, long Revision) List(string resource, string? ns, long? atRevision)
    {
        lock (_gate)
        {
            return ListUnlocked(resource, ns, atRevision);
        }
    }

    /// <summary>
    /// Persists <paramref name="candidate"/> as a new revision of <paramref name="key"/> when
    /// <paramref name="expectedRevision"/> still matches (null = must not exist yet). Returns the stored copy.
    /// </summary>
    public JsonObject Write(ObjectKey key, JsonObject candidate, long? expectedRevision, Func<ApiStatusException> onConflict)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(onConflict);
        lock (_gate)
        {
            var current = Latest(key);
            var currentRevision = current is null ? (long?)null : ResourceVersionOf(Parse(current)!);
            if (currentRevision != expectedRevision)
            {
                throw onConflict();
            }

            var revision = ++_revision;
            var stored = candidate.DeepClone().AsObject();
            KubeObject.Metadata(stored)["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var json = stored.ToJsonString();
            Versions(key).Add(new StoredVersion(revision, json));
            Publish(new StoreEvent(current is null ? WatchEventType.Added : WatchEventType.Modified, key, revision, json, current));
            return stored;
        }
    }

    /// <summary>
    /// Removes <paramref name="key"/> in a new revision when its revision still matches. The DELETED event carries
    /// <paramref name="lastState"/> with the revision of the delete, as kube-apiserver sends it.
    /// </summary>
    public JsonObject Delete(ObjectKey key, JsonObject lastState, long expectedRevision, Func<ApiStatusException> onConflict)
    {
        ArgumentNullException.ThrowIfNull(lastState);
        ArgumentNullException.ThrowIfNull(onConflict);
        lock (_gate)
        {
            var current = Latest(key);
            if (current is null || ResourceVersionOf(Parse(current)!) != expectedRevision)
            {
                throw onConflict();
            }

            var revision = ++_revision;
            var final = lastState.DeepClone().AsObject();
            KubeObject.Metadata(final)["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Versions(key).Add(new StoredVersion(revision, null));
            Publish(new StoreEvent(WatchEventType.Deleted, key, revision, final.ToJsonString(), current));
            return final;
        }
    }

    /// <summary>
    /// Forgets history up to the current revision, like etcd compaction plus watch-cache eviction together:
    /// list snapshots and continue tokens from before now answer 410 and watches from older RVs get the in-stream 410.
    /// </summary>
    public long Compact()
    {
        lock (_gate)
        {
            // Compaction stands for "time passed and etcd moved on": take a revision of its own so that every RV
            // handed out before (list snapshots, continue tokens, watch starts) is now strictly older than history.
            _revision++;
            _compactedRevision = _revision;
            foreach (var versions in _history.Values)
            {
                var latest = versions[^1];
                versions.Clear();
                versions.Add(latest);
            }

            foreach (var emptyKey in _history.Where(h => h.Value[0].Json is null).Select(h => h.Key).ToList())
            {
                _history.Remove(emptyKey);
            }

            _events.Clear();
            return _compactedRevision;
        }
    }

    /// <summary>
    /// Opens a watch. With <paramref name="fromRevision"/> null the watch starts now and the current objects come
    /// first as synthetic ADDED; otherwise every event after that revision is replayed. Throws
    /// <see cref="WatchTooOldException"/> when the revision was compacted away.
    /// </summary>
    public WatchSubscription Subscribe(string resource, string? ns, long? fromRevision)
    {
        lock (_gate)
        {
            if (fromRevision is { } from && from < _compactedRevision)
            {
                throw new WatchTooOldException(from, _compactedRevision);
            }

            var subscription = new WatchSubscription(resource, ns, fromRevision ?? _revision, Unsubscribe);
            if (fromRevision is null)
            {
                subscription.InitialObjects = ListUnlocked(resource, ns, null).Items;
            }
            else
            {
                foreach (var past in _events.Where(e => subscription.Wants(e.Key) && e.ResourceVersion > fromRevision))
                {
                    subscription.Publish(past);
                }
            }

            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Makes every open watch connection fail at the TCP level (client sees a reset/EOF mid-stream).</summary>
    public int DropAllWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Drop();
            }

            return _watchers.Count;
        }
    }

    /// <summary>Makes every open watch go silent with its connection kept open.</summary>
    public int StallAllWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Stall();
            }

            return _watchers.Count;
        }
    }

    /// <summary>Every key currently present (for inspection by tests).</summary>
    public IReadOnlyList<ObjectKey> Keys()
    {
        lock (_gate)
        {
            return _history.Where(h => h.Value[^1].Json is not null).Select(h => h.Key).ToList();
        }
    }

    public static long ResourceVersionOf(JsonObject obj) =>
        long.Parse((string)KubeObject.Metadata(obj)["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }

    private (IReadOnlyList<JsonObject> Items, long Revision) ListUnlocked(string resource, string? ns, long? atRevision)
    {
        var revision = atRevision ?? _revision;
        var items = new List<(ObjectKey Key, string Json)>();
        foreach (var (key, versions) in _history)
        {
            if (key.Resource != resource || (ns is not null && key.Namespace != ns))
            {
                continue;
            }

            var visible = versions.LastOrDefault(v => v.ResourceVersion <= revision);
            if (visible?.Json is not null)
            {
                items.Add((key, visible.Json));
            }
        }

        var sorted = items
            .OrderBy(i => i.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(i => i.Key.Name, StringComparer.Ordinal)
            .Select(i => Parse(i.Json)!)
            .ToList();
        return (sorted, revision);
    }

    private static JsonObject? Parse(string? json) => json is null ? null : JsonNode.Parse(json)!.AsObject();

    private string? Latest(ObjectKey key) =>
        _history.TryGetValue(key, out var versions) ? versions[^1].Json : null;

    private List<StoredVersion> Versions(ObjectKey key)
    {
        if (!_history.TryGetValue(key, out var versions))
        {
            versions = [];
            _history[key] = versions;
        }

        return versions;
    }

    private void Publish(StoreEvent storeEvent)
    {
        _events.Add(storeEvent);
        foreach (var watcher in _watchers)
        {
            if (watcher.Wants(storeEvent.Key))
            {
                watcher.Publish(storeEvent);
            }
        }
    }
}
