using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>
/// Writes events.k8s.io/v1 Events about objects in the background. <see cref="Record"/> only puts the event on a
/// bounded channel (full: the event is dropped and counted), so it never blocks and never throws: an event is a
/// courtesy to humans, never a reason for a reconcile to fail. The writer loop
/// (<see cref="RunAsync"/>) throttles per object, folds repeats within the series window into one Event whose
/// <c>series</c> it patches, and logs and drops whatever the API server refuses.
/// </summary>
public sealed class EventRecorder
{
    private const int MaxNoteBytes = 1024;
    private const int MaxNameLength = 253;

    // Series and buckets remembered at most (the least recently used are forgotten first).
    private const int MaxTrackedObjects = 4096;

    // A repeat within this long of the previous occurrence updates the existing Event's series.
    private static readonly TimeSpan SeriesWindow = TimeSpan.FromMinutes(6);

    // How long an object's bucket takes to regain one event.
    private static readonly TimeSpan RefillInterval = TimeSpan.FromMinutes(5);

    private readonly ResourceClient<Eventsv1Event> _events;
    private readonly string _reportingController;
    private readonly string _reportingInstance;
    private readonly int _capacity;
    private readonly int _burstPerObject;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingEvent> _pending;
    // client-go's spam filter: a token bucket per object, starting full with burstPerObject tokens and regaining one
    // per RefillInterval. Used from the single writer loop only.
    private readonly Dictionary<string, (double Tokens, long Stamp)> _buckets = new(StringComparer.Ordinal);
    // The Event written for each series of repeats: where it is, how often it happened (the first write has 1 and no
    // series), when last.
    private readonly Dictionary<string, (string Namespace, string Name, int Count, DateTimeOffset LastObserved)> _series = new(StringComparer.Ordinal);
    private long _written;
    private long _dropped;
    private long _suppressed;
    private long _failed;

    /// <param name="events">The events.k8s.io/v1 Event client, not bound to a namespace (events go to their object's).</param>
    /// <param name="reportingController">Of every event, e.g. <c>example.dev/my-operator</c> (at most 128 characters).</param>
    /// <param name="reportingInstance">Which replica, e.g. the pod name (at most 128 characters).</param>
    /// <param name="capacity">How many events may wait to be written; more are dropped (and counted) rather than blocking anyone.</param>
    /// <param name="burstPerObject">How many events one object may get at once (client-go's 25, then one every 5 minutes).</param>
    public EventRecorder(
        ResourceClient<Eventsv1Event> events,
        string reportingController,
        string reportingInstance,
        TimeProvider? timeProvider = null,
        ILogger<EventRecorder>? logger = null,
        int capacity = 1024,
        int burstPerObject = 25)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentException.ThrowIfNullOrWhiteSpace(reportingController);
        ArgumentException.ThrowIfNullOrWhiteSpace(reportingInstance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reportingController.Length, 128);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reportingInstance.Length, 128);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burstPerObject, 1);
        _events = events;
        _reportingController = reportingController;
        _reportingInstance = reportingInstance;
        _capacity = capacity;
        _burstPerObject = burstPerObject;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pending = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Events created or series updated on the server.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Events dropped before writing: the channel was full or the event was malformed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events held back by the per-object throttle.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    /// <summary>Events the API server refused or could not take (logged and dropped).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <param name="regarding">The object the event is about (read from the server or the cache).</param>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">Why, in CamelCase (e.g. TokenIssued).</param>
    /// <param name="action">What was done or failed, in CamelCase (e.g. Reconcile).</param>
    /// <param name="note">For humans; cut to 1 kB.</param>
    /// <param name="related">A second object involved (e.g. the Secret written), if any.</param>
    public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string action, string note, IKubernetesObject<V1ObjectMeta>? related = null)
    {
        try
        {
            var reference = Reference(regarding);
            if (type is not (EventTypes.Normal or EventTypes.Warning))
            {
                throw new ArgumentException($"event type must be Normal or Warning, not '{type}'", nameof(type));
            }

            ArgumentException.ThrowIfNullOrWhiteSpace(reason);
            ArgumentException.ThrowIfNullOrWhiteSpace(action);
            var entry = new PendingEvent(reference, related is null ? null : Reference(related), type, Limit(reason, 128), Limit(action, 128), LimitBytes(note ?? string.Empty), _time.GetUtcNow());
            if (!_pending.Writer.TryWrite(entry))
            {
                Interlocked.Increment(ref _dropped);
                _logger.LogWarning("Event {Reason} about {Kind} {Name} dropped: {Capacity} events are already waiting", reason, reference.Kind, reference.Name, _capacity);
            }
        }
        catch (Exception e)
        {
            // Recording is best effort by contract: a bad event is a bug to log, never a failed reconcile.
            Interlocked.Increment(ref _dropped);
            _logger.LogError(e, "Event {Reason} could not be recorded", reason);
        }
    }

    /// <summary>Writes recorded events until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var entry in _pending.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await WriteAsync(entry, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _failed);
                    _logger.LogWarning(e, "Event {Reason} about {Kind} {Namespace}/{Name} was not written", entry.Reason, entry.Regarding.Kind, entry.Regarding.NamespaceProperty, entry.Regarding.Name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: events still waiting are dropped with the process.
        }
    }

    private async Task WriteAsync(PendingEvent entry, CancellationToken cancellationToken)
    {
        if (!TryTake(entry.ObjectKey))
        {
            Interlocked.Increment(ref _suppressed);
            _logger.LogDebug("Event {Reason} about {Kind} {Name} suppressed: too many events for this object", entry.Reason, entry.Regarding.Kind, entry.Regarding.Name);
            return;
        }

        var key = entry.SeriesKey;
        if (_series.TryGetValue(key, out var existing) && entry.At - existing.LastObserved <= SeriesWindow)
        {
            var count = existing.Count + 1;
            try
            {
                await _events.InNamespace(existing.Namespace).MergePatchAsync(existing.Name, SeriesPatch(count, entry.At), cancellationToken: cancellationToken);
                _series[key] = existing with { Count = count, LastObserved = entry.At };
                Interlocked.Increment(ref _written);
                return;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                // The Event expired (the server keeps them an hour): start a new series.
                _series.Remove(key);
            }
        }

        var created = await _events.InNamespace(NamespaceOf(entry)).CreateAsync(NewEvent(entry), cancellationToken: cancellationToken);
        _series[key] = (created.Metadata.NamespaceProperty ?? NamespaceOf(entry), created.Metadata.Name!, 1, entry.At);
        Forget(_series, series => series.LastObserved.UtcTicks);
        Interlocked.Increment(ref _written);
    }

    private Eventsv1Event NewEvent(PendingEvent entry) => new()
    {
        Metadata = new V1ObjectMeta { Name = EventName(entry.Regarding.Name!, entry.At), NamespaceProperty = NamespaceOf(entry) },
        EventTime = entry.At.UtcDateTime,
        ReportingController = _reportingController,
        ReportingInstance = _reportingInstance,
        Action = entry.Action,
        Reason = entry.Reason,
        Regarding = entry.Regarding,
        Related = entry.Related,
        Note = entry.Note,
        Type = entry.Type,
    };

    private bool TryTake(string key)
    {
        var now = _time.GetTimestamp();
        var (tokens, stamp) = _buckets.TryGetValue(key, out var bucket) ? bucket : (_burstPerObject, now);
        tokens = Math.Min(_burstPerObject, tokens + (_time.GetElapsedTime(stamp, now) / RefillInterval));
        var allowed = tokens >= 1;
        _buckets[key] = (allowed ? tokens - 1 : tokens, now);
        Forget(_buckets, entry => entry.Stamp);
        return allowed;
    }

    // Bounded memory: past MaxTrackedObjects the least recently used entry goes. A forgotten bucket starts full again
    // and a forgotten series starts a new Event, which only errs towards sending.
    private static void Forget<TValue>(Dictionary<string, TValue> entries, Func<TValue, long> lastUsed)
    {
        while (entries.Count > MaxTrackedObjects)
        {
            entries.Remove(entries.MinBy(pair => lastUsed(pair.Value)).Key);
        }
    }

    private static JsonObject SeriesPatch(int count, DateTimeOffset at) => new()
    {
        ["series"] = new JsonObject
        {
            ["count"] = count,
            ["lastObservedTime"] = at.ToUniversalTime().ToString(EntityJson.MicroTimeFormat, CultureInfo.InvariantCulture),
        },
    };

    // Cluster-scoped objects' events go to "default", as client-go does.
    private static string NamespaceOf(PendingEvent entry) =>
        string.IsNullOrEmpty(entry.Regarding.NamespaceProperty) ? "default" : entry.Regarding.NamespaceProperty;

    // client-go's naming: the object's name, a dot, the time in hex nanoseconds (unique enough, sortable).
    private static string EventName(string objectName, DateTimeOffset at)
    {
        var suffix = "." + ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString("x", CultureInfo.InvariantCulture);
        var prefix = objectName.Length + suffix.Length > MaxNameLength ? objectName[..(MaxNameLength - suffix.Length)] : objectName;
        return prefix.TrimEnd('.', '-') + suffix;
    }

    private static V1ObjectReference Reference(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (string.IsNullOrEmpty(obj.Metadata.Name) || string.IsNullOrEmpty(obj.Kind))
        {
            throw new ArgumentException("An event needs an object with a kind and a name.", nameof(obj));
        }

        return new V1ObjectReference
        {
            ApiVersion = obj.ApiVersion,
            Kind = obj.Kind,
            NamespaceProperty = string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? null : obj.Metadata.NamespaceProperty,
            Name = obj.Metadata.Name,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
    }

    private static string Limit(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];

    private static string LimitBytes(string note)
    {
        var bytes = Encoding.UTF8.GetBytes(note);
        if (bytes.Length <= MaxNoteBytes)
        {
            return note;
        }

        // Cut before a character's first byte (continuation bytes are 10xxxxxx), leaving room for the "...".
        var length = MaxNoteBytes - 3;
        while ((bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return Encoding.UTF8.GetString(bytes, 0, length) + "...";
    }

    /// <summary>An event recorded and waiting to be written.</summary>
    private sealed record PendingEvent(V1ObjectReference Regarding, V1ObjectReference? Related, string Type, string Reason, string Action, string Note, DateTimeOffset At)
    {
        /// <summary>Events with the same key are repeats of one another (client-go's isomorphic events).</summary>
        public string SeriesKey =>
            string.Join('\u001f', Regarding.ApiVersion, Regarding.Kind, Regarding.NamespaceProperty, Regarding.Name, Regarding.Uid, Related?.Kind, Related?.Name, Type, Reason, Action, Note);

        /// <summary>Whose bucket the event draws from.</summary>
        public string ObjectKey =>
            string.IsNullOrEmpty(Regarding.Uid) ? string.Join('\u001f', Regarding.Kind, Regarding.NamespaceProperty, Regarding.Name) : Regarding.Uid;
    }
}
