using System.Diagnostics;
using System.Threading.Channels;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Watch;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// A cache of one resource kept equal to the server, plus event handlers called in order, one change at a time, on a
/// single dispatch loop (so a handler never sees an update before the add). Handlers added after the start first get
/// the cached objects as adds. Run it once with <see cref="RunAsync"/>.
/// <para>
/// The list-then-watch loop (client-go's reflector): a paged LIST, then a WATCH from the list's resourceVersion with
/// bookmarks. A clean end (the server's timeoutSeconds) re-watches from the last resourceVersion seen (bookmarks move
/// it forward); a dropped or stalled connection does the same after a backoff; a 410 (the resourceVersion was
/// compacted away) relists and synthesizes deletes for the objects that vanished meanwhile. It never stops by itself:
/// only cancellation ends it.
/// </para>
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    // The dispatch loop's work, in order: changes to deliver, the end of the first list, late handlers joining.
    private readonly Channel<Action> _dispatch = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    // A watch that ends cleanly this fast without a single line is not healthy (e.g. a proxy closing at once):
    // back off instead of spinning, as client-go does.
    private static readonly TimeSpan ShortestHealthyWatch = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Written under the lock before the start, then only by the dispatch loop, which alone reads it.
    private ResourceEventHandler<T>[] _handlers = [];
    private bool _started;
    private volatile string? _lastSyncResourceVersion;
    private int _listCount;

    public Informer(ResourceClient<T> client, InformerOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new InformerOptions();
        options.Validate();
        _client = client;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"ConsoleOperator.Kube.Runtime.Informers.Informer<{typeof(T).Name}>");
        Name = options.Name ?? client.Descriptor.ToString();
    }

    public string Name { get; }

    /// <summary>The objects as last seen; controllers read from here.</summary>
    public InformerCache<T> Cache { get; } = new();

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion of the last list, event or bookmark.</summary>
    public string? LastSyncResourceVersion => _lastSyncResourceVersion;

    /// <summary>How many LISTs were made: 1 after the start, more after each relist (410).</summary>
    public int ListCount => Volatile.Read(ref _listCount);

    public void AddEventHandler(ResourceEventHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (!_started)
            {
                _handlers = [.. _handlers, handler];
                return;
            }

            // Joins on the dispatch loop, so it gets the cache as adds and then every later change, never a change first.
            _dispatch.Writer.TryWrite(() =>
            {
                _handlers = [.. _handlers, handler];
                foreach (var obj in Cache.List())
                {
                    Invoke(handler, "add", obj, late => late.Added?.Invoke(obj, true));
                }
            });
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException($"Informer {Name} is already running (an informer runs once).");
            }

            _started = true;
        }

        _logger.LogInformation("Informer {Informer}: starting", Name);
        var dispatch = Task.Run(() => DispatchAsync(cancellationToken), CancellationToken.None);
        try
        {
            await ListAndWatchAsync(cancellationToken);
        }
        finally
        {
            _dispatch.Writer.TryComplete();
            await dispatch;
            _logger.LogInformation("Informer {Informer}: stopped", Name);
        }
    }

    public async Task<bool> WaitForSyncAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _synced.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        return HasSynced;
    }

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var failures = 0;

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
                    failures = 0;
                    continue;
                }

                _logger.LogDebug("Informer {Informer}: the watch ended at once without events; backing off", Name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                // Normal after compaction or a long disconnection: only a fresh list can resynchronize.
                _logger.LogInformation("Informer {Informer}: resourceVersion {ResourceVersion} is too old ({Reason}); relisting", Name, resourceVersion, e.Reason);
                resourceVersion = null;
            }
            catch (Exception e) when (e is TimeoutException or IOException)
            {
                _logger.LogWarning("Informer {Informer}: the watch from {ResourceVersion} broke ({Message}); resuming from there", Name, resourceVersion, e.Message);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Informer {Informer}: {Operation} failed; retrying", Name, resourceVersion is null ? "list" : "watch");
            }

            var delay = _options.BackoffDelay(failures++, Random.Shared.NextDouble());
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            throw new InvalidDataException($"the {_client.Descriptor} list carried no resourceVersion to watch from");
        }

        var firstList = ListCount == 0;
        Cache.Replace(list.Items, firstList, new() { Added = Added, Updated = Updated, Deleted = Deleted });

        if (firstList)
        {
            _dispatch.Writer.TryWrite(() =>
            {
                _synced.TrySetResult();
                _logger.LogInformation("Informer {Informer}: synced with {Count} objects", Name, Cache.Count);
            });
        }

        Interlocked.Increment(ref _listCount);
        _lastSyncResourceVersion = resourceVersion;
        _logger.LogDebug("Informer {Informer}: listed {Count} objects at resourceVersion {ResourceVersion}", Name, list.Items.Count, resourceVersion);
        return resourceVersion;
    }

    /// <summary>Watches until the server ends the stream, reporting each new resume point; returns whether the watch was healthy.</summary>
    private async Task<bool> WatchAsync(string resourceVersion, Action<string> resumeAt, CancellationToken cancellationToken)
    {
        var timeout = _options.MinWatchTimeout + ((_options.MaxWatchTimeout - _options.MinWatchTimeout) * Random.Shared.NextDouble());
        var watchOptions = new WatchOptions
        {
            ResourceVersion = resourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            TimeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds),
            IdleTimeout = _options.WatchIdleTimeout ?? timeout + TimeSpan.FromSeconds(30),
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
                _lastSyncResourceVersion = watchEvent.ResourceVersion;
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
                var previous = Cache.Upsert(watchEvent.Object);
                if (previous is null)
                {
                    Added(watchEvent.Object, false);
                }
                else
                {
                    Updated(previous, watchEvent.Object);
                }

                break;
            case WatchEventType.Deleted:
                // A DELETED for an object never cached (e.g. it was created and deleted within one relist gap) still
                // reaches the handlers: they may hold state keyed by it.
                Cache.Remove(ObjectKey.Of(watchEvent.Object));
                Deleted(watchEvent.Object, false);
                break;
            case WatchEventType.Bookmark:
                break;
            default:
                throw new UnreachableException($"unknown watch event type {watchEvent.Type}");
        }
    }

    private void Added(T obj, bool isInInitialList) => Publish("add", obj, handler => handler.Added?.Invoke(obj, isInInitialList));

    private void Updated(T old, T obj) => Publish("update", obj, handler => handler.Updated?.Invoke(old, obj));

    private void Deleted(T obj, bool finalStateUnknown) => Publish("delete", obj, handler => handler.Deleted?.Invoke(obj, finalStateUnknown));

    /// <summary>Queues one change for the dispatch loop, which hands it to every handler in turn.</summary>
    private void Publish(string change, T obj, Action<ResourceEventHandler<T>> deliver) => _dispatch.Writer.TryWrite(() =>
    {
        foreach (var handler in _handlers)
        {
            Invoke(handler, change, obj, deliver);
        }
    });

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var work in _dispatch.Reader.ReadAllAsync(cancellationToken))
            {
                work();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: undelivered changes are moot, the cache is no longer maintained either.
        }
    }

    private void Invoke(ResourceEventHandler<T> handler, string change, T obj, Action<ResourceEventHandler<T>> deliver)
    {
        try
        {
            deliver(handler);
        }
        catch (Exception e)
        {
            // One faulty handler must not starve the others or stop the informer.
            _logger.LogError(e, "Informer {Informer}: an event handler failed on {Change} of {Key}", Name, change, ObjectKey.Of(obj));
        }
    }
}
