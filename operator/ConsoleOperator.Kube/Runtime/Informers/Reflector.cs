using System.Diagnostics;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Watch;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// Keeps an <see cref="InformerCache{T}"/> equal to the server: a paged LIST, then a WATCH from the list's
/// resourceVersion with bookmarks. A clean end (the server's timeoutSeconds) re-watches from the last resourceVersion
/// seen (bookmarks move it forward); a dropped or stalled connection does the same after a backoff; a 410 (the
/// resourceVersion was compacted away) relists and synthesizes deletes for the objects that vanished meanwhile.
/// It never stops by itself: only cancellation ends it.
/// </summary>
internal sealed class Reflector<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    // A watch that ends cleanly this fast without a single line is not healthy (e.g. a proxy closing at once):
    // back off instead of spinning, as client-go does.
    private static readonly TimeSpan ShortestHealthyWatch = TimeSpan.FromSeconds(1);

    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly InformerCache<T> _cache;
    private readonly Action<Notification<T>> _publish;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly Func<double> _random;

    public Reflector(
        string name,
        ResourceClient<T> client,
        InformerOptions options,
        InformerCache<T> cache,
        Action<Notification<T>> publish,
        TimeProvider time,
        ILogger logger,
        Func<double>? random = null)
    {
        _name = name;
        _client = client;
        _options = options;
        _cache = cache;
        _publish = publish;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared.NextDouble;
    }

    private volatile string? _lastSyncResourceVersion;
    private int _listCount;

    /// <summary>The resourceVersion the cache is known to be at (the last list, event or bookmark).</summary>
    public string? LastSyncResourceVersion
    {
        get => _lastSyncResourceVersion;
        private set => _lastSyncResourceVersion = value;
    }

    /// <summary>How many times the reflector listed (the first list included): relists show up here.</summary>
    public int ListCount => Volatile.Read(ref _listCount);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new JitteredBackoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffJitter, _random);

        // Where to resume: null means "list first". Moved forward by every event and bookmark as it arrives, so a watch
        // that breaks mid-stream resumes after the last event it delivered, not from where it started.
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(cancellationToken);
                var healthy = await WatchAsync(resourceVersion, next => resourceVersion = next, cancellationToken);
                if (healthy)
                {
                    backoff.Reset();
                    continue;
                }

                _logger.LogDebug("Informer {Informer}: the watch ended at once without events; backing off", _name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                // Normal after compaction or a long disconnection: only a fresh list can resynchronize.
                _logger.LogInformation("Informer {Informer}: resourceVersion {ResourceVersion} is too old ({Reason}); relisting", _name, resourceVersion, e.Reason);
                resourceVersion = null;
            }
            catch (Exception e) when (e is WatchIdleTimeoutException or WatchConnectionLostException)
            {
                _logger.LogWarning("Informer {Informer}: the watch from {ResourceVersion} broke ({Message}); resuming from there", _name, resourceVersion, e.Message);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Informer {Informer}: {Operation} failed; retrying", _name, resourceVersion is null ? "list" : "watch");
            }

            if (!await DelayAsync(backoff.Next(), cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.ListAllAsync(
            new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize },
            cancellationToken);
        var resourceVersion = list.Metadata.ResourceVersion;
        if (string.IsNullOrEmpty(resourceVersion))
        {
            throw new KubernetesProtocolException($"the {_client.Descriptor} list carried no resourceVersion to watch from");
        }

        var firstList = !_cache.HasSynced;
        foreach (var change in _cache.Replace(list.Items))
        {
            _publish(change);
        }

        if (firstList)
        {
            _publish(new Notification<T>(NotificationKind.Synced));
        }

        Interlocked.Increment(ref _listCount);
        LastSyncResourceVersion = resourceVersion;
        _logger.LogDebug("Informer {Informer}: listed {Count} objects at resourceVersion {ResourceVersion}", _name, list.Items.Count, resourceVersion);
        return resourceVersion;
    }

    /// <summary>Watches until the server ends the stream, reporting each new resume point; returns whether the watch was healthy.</summary>
    private async Task<bool> WatchAsync(string resourceVersion, Action<string> resumeAt, CancellationToken cancellationToken)
    {
        var timeout = WatchTimeout();
        var watchOptions = new WatchOptions
        {
            ResourceVersion = resourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            TimeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds),
            IdleTimeout = _options.WatchIdleTimeout ?? timeout + TimeSpan.FromSeconds(30),
            AllowWatchBookmarks = true,
        };
        var started = _time.GetTimestamp();
        var lines = 0;
        await foreach (var watchEvent in _client.WatchAsync(watchOptions, cancellationToken))
        {
            lines++;
            Apply(watchEvent);
            if (!string.IsNullOrEmpty(watchEvent.ResourceVersion))
            {
                resumeAt(watchEvent.ResourceVersion);
                LastSyncResourceVersion = watchEvent.ResourceVersion;
            }
        }

        return lines > 0 || _time.GetElapsedTime(started) >= ShortestHealthyWatch;
    }

    private void Apply(WatchEvent<T> watchEvent)
    {
        switch (watchEvent.Type)
        {
            case WatchEventType.Added:
            case WatchEventType.Modified:
                var previous = _cache.Upsert(watchEvent.Object);
                _publish(previous is null ? Notification<T>.Added(watchEvent.Object, isInInitialList: false) : Notification<T>.Updated(previous, watchEvent.Object));
                break;
            case WatchEventType.Deleted:
                // A DELETED for an object never cached (e.g. it was created and deleted within one relist gap) still
                // reaches the handlers: they may hold state keyed by it.
                _cache.Remove(ObjectKeys.Of(watchEvent.Object));
                _publish(Notification<T>.Deleted(watchEvent.Object, finalStateUnknown: false));
                break;
            case WatchEventType.Bookmark:
                break;
            default:
                throw new UnreachableException($"unknown watch event type {watchEvent.Type}");
        }
    }

    private TimeSpan WatchTimeout()
    {
        var range = _options.MaxWatchTimeout - _options.MinWatchTimeout;
        return _options.MinWatchTimeout + (range * _random());
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
