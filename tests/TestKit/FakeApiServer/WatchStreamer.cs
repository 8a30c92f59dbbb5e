using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TestKit.FakeApiServer;

/// <summary>
/// Serves one watch the way kube-apiserver's watch cache does: HTTP 200, chunked, one JSON event per line and per
/// flush; ADDED/MODIFIED/DELETED with selector transitions; BOOKMARK at min(start + 60 s, deadline - 2 s) and only
/// once the resource moved past the start RV; a too-old RV as one in-stream ERROR event; a clean end at
/// timeoutSeconds. Test controls can drop (TCP reset), stall (silence) or expire the watch.
/// </summary>
public sealed class WatchStreamer
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BookmarkBeforeDeadline = TimeSpan.FromSeconds(2);
    private readonly ObjectStore _store;
    private readonly FaultInjector _faults;
    private readonly FakeApiServerOptions _options;

    public WatchStreamer(ObjectStore store, FaultInjector faults, FakeApiServerOptions options)
    {
        _store = store;
        _faults = faults;
        _options = options;
    }

    public async Task ServeAsync(HttpContext context, ApiPath path, ApiQuery query, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        var resource = path.Resource;
        var labels = Selectors.Labels(query["labelSelector"]);
        var fields = Selectors.Fields(query["fieldSelector"], resource);
        if (path.Name is not null)
        {
            // GET .../widgets/w1?watch=true is the legacy form of fieldSelector=metadata.name=w1.
            fields = Selectors.Fields($"metadata.name={path.Name}", resource);
        }

        var time = _options.TimeProvider;
        var started = time.GetUtcNow();
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : _options.DefaultWatchTimeout;
        var deadline = started + timeout;
        var allowBookmarks = query.IsTrue("allowWatchBookmarks");
        var requestedRv = query["resourceVersion"];
        long? from = null;
        if (!string.IsNullOrEmpty(requestedRv) && requestedRv != "0")
        {
            if (!long.TryParse(requestedRv, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw StatusErrors.BadRequest($"resourceVersion: Invalid value: \"{requestedRv}\": must be a valid resource version");
            }

            from = parsed;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";

        WatchSubscription subscription;
        try
        {
            if (_faults.TakeWatchExpiry())
            {
                throw new WatchTooOldException(from ?? 0, _store.CompactedRevision);
            }

            subscription = _store.Subscribe(resource.StorageKey, resource.Namespaced ? path.Namespace : null, from);
        }
        catch (WatchTooOldException tooOld)
        {
            var message = _options.WatchCache ? tooOld.Message : "The resourceVersion for the provided watch is too old.";
            var error = StatusErrors.Status("Failure", message, "Expired", null, 410);
            await WriteLineAsync(response, WatchEventType.Error, error, stopping);
            return;
        }

        using (subscription)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, context.RequestAborted, subscription.Dropped);
            var cancel = linked.Token;
            await response.StartAsync(cancel);
            await response.Body.FlushAsync(cancel);
            var lastBookmark = started;
            var bookmarksDone = false;
            try
            {
                foreach (var initial in subscription.InitialObjects)
                {
                    if (labels.Matches(initial) && fields.Matches(initial))
                    {
                        await WriteLineAsync(response, WatchEventType.Added, ResourceOperations.Present(initial, resource), cancel);
                    }
                }

                while (true)
                {
                    if (subscription.IsStalled)
                    {
                        // Silence with the connection kept open: only the client (or the test) ends it.
                        await Task.Delay(Timeout.InfiniteTimeSpan, cancel);
                    }

                    var now = time.GetUtcNow();
                    if (now >= deadline)
                    {
                        // Changes made before the deadline are still delivered, then the body ends cleanly.
                        await WritePendingAsync(response, subscription, resource, labels, fields, cancel);
                        return;
                    }

                    DateTimeOffset? bookmarkDue = null;
                    if (allowBookmarks && !bookmarksDone)
                    {
                        var due = Min(lastBookmark + BookmarkInterval, deadline - BookmarkBeforeDeadline);
                        bookmarkDue = due > lastBookmark ? due : null;
                        bookmarksDone = bookmarkDue is null;
                    }

                    var wakeAt = bookmarkDue is { } b ? Min(b, deadline) : deadline;
                    using var wakeCancel = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    var timer = Task.Delay(Max(wakeAt - now, TimeSpan.Zero), time, wakeCancel.Token);
                    var readable = subscription.Events.WaitToReadAsync(wakeCancel.Token).AsTask();
                    var onDemand = _faults.BookmarkRequested;
                    var woke = await Task.WhenAny(timer, readable, onDemand);
                    await wakeCancel.CancelAsync();
                    cancel.ThrowIfCancellationRequested();
                    if (subscription.IsStalled)
                    {
                        continue;
                    }

                    await WritePendingAsync(response, subscription, resource, labels, fields, cancel);
                    if (woke == onDemand && allowBookmarks)
                    {
                        await WriteBookmarkAsync(response, resource, cancel);
                    }
                    else if (woke == timer && bookmarkDue is { } dueAt && time.GetUtcNow() >= dueAt)
                    {
                        lastBookmark = dueAt;

                        // The watch cache only bookmarks once it has seen an event newer than the watch's start.
                        if (_store.LatestEventRevision(resource.StorageKey) is { } latest && latest > subscription.StartResourceVersion)
                        {
                            await WriteBookmarkAsync(response, resource, cancel);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (subscription.Dropped.IsCancellationRequested)
            {
                context.Abort();
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
            {
                // The client went away or the server is stopping: nothing left to write to.
            }
        }
    }

    private static async Task WritePendingAsync(HttpResponse response, WatchSubscription subscription, ResourceDescriptor resource, LabelSelector labels, FieldSelector fields, CancellationToken cancel)
    {
        while (subscription.Events.TryRead(out var storeEvent))
        {
            if (Translate(storeEvent, labels, fields) is { } line)
            {
                await WriteLineAsync(response, line.Type, ResourceOperations.Present(line.Object, resource), cancel);
            }
        }
    }

    private static (string Type, JsonObject Object)? Translate(StoreEvent storeEvent, LabelSelector labels, FieldSelector fields)
    {
        var current = storeEvent.Object();
        bool Matches(JsonObject obj) => labels.Matches(obj) && fields.Matches(obj);
        switch (storeEvent.Type)
        {
            case WatchEventType.Added:
                return Matches(current) ? (WatchEventType.Added, current) : null;
            case WatchEventType.Deleted:
                return Matches(current) ? (WatchEventType.Deleted, current) : null;
            default:
                {
                    var previous = storeEvent.Previous();
                    var now = Matches(current);
                    var before = previous is not null && Matches(previous);
                    if (now)
                    {
                        return (before ? WatchEventType.Modified : WatchEventType.Added, current);
                    }

                    if (!before)
                    {
                        return null;
                    }

                    // Stopped matching: the cache sends the previous state as DELETED, at the event's revision.
                    KubeObject.Metadata(previous!)["resourceVersion"] = storeEvent.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                    return (WatchEventType.Deleted, previous!);
                }
        }
    }

    private async Task WriteBookmarkAsync(HttpResponse response, ResourceDescriptor resource, CancellationToken cancel)
    {
        var revision = Math.Max(_store.LatestEventRevision(resource.StorageKey) ?? 0, 0);
        var rv = (revision == 0 ? _store.Revision : revision).ToString(CultureInfo.InvariantCulture);
        JsonObject bookmark;
        if (resource.IsCustomResource)
        {
            bookmark = new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind, ["metadata"] = new JsonObject { ["resourceVersion"] = rv } };
        }
        else
        {
            // Built-ins bookmark with an "empty" typed object: zero values serialize, e.g. creationTimestamp: null.
            bookmark = new JsonObject
            {
                ["kind"] = resource.Kind,
                ["apiVersion"] = resource.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = rv, ["creationTimestamp"] = null },
            };
            foreach (var (key, value) in resource.BookmarkBody ?? [])
            {
                bookmark[key] = value?.DeepClone();
            }
        }

        await WriteLineAsync(response, WatchEventType.Bookmark, bookmark, cancel);
    }

    private static async Task WriteLineAsync(HttpResponse response, string type, JsonObject obj, CancellationToken cancel)
    {
        var line = KubeJson.Serialize(new JsonObject { ["type"] = type, ["object"] = obj }) + "\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), cancel);
        await response.Body.FlushAsync(cancel);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
