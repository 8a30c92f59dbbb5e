using System.Threading.Channels;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// A cache of one resource kept current by a list-then-watch <see cref="Reflector{T}"/>, plus event handlers called
/// in order, one change at a time, on a single dispatch loop (so a handler never sees an update before the add).
/// Handlers added after the start first get the cached objects as adds. Run it once with <see cref="RunAsync"/>.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    private readonly Channel<Notification<T>> _notifications =
        Channel.CreateUnbounded<Notification<T>>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Reflector<T> _reflector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private IResourceEventHandler<T>[] _handlers = [];
    private bool _started;

    public Informer(ResourceClient<T> client, InformerOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new InformerOptions();
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger($"ConsoleOperator.Kube.Runtime.Informers.Informer<{typeof(T).Name}>");
        Name = options.Name ?? client.Descriptor.ToString();
        Descriptor = client.Descriptor;
        _reflector = new Reflector<T>(Name, client, options, Cache, Publish, _time, _logger);
    }

    public string Name { get; }

    public ResourceDescriptor Descriptor { get; }

    /// <summary>The objects as last seen; controllers read from here.</summary>
    public InformerCache<T> Cache { get; } = new();

    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion of the last list, event or bookmark.</summary>
    public string? LastSyncResourceVersion => _reflector.LastSyncResourceVersion;

    /// <summary>How many LISTs were made: 1 after the start, more after each relist (410).</summary>
    public int ListCount => _reflector.ListCount;

    public void AddEventHandler(IResourceEventHandler<T> handler)
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
            _notifications.Writer.TryWrite(new Notification<T>(NotificationKind.JoinHandler, Handler: handler));
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
            await _reflector.RunAsync(cancellationToken);
        }
        finally
        {
            _notifications.Writer.TryComplete();
            await dispatch;
            _logger.LogInformation("Informer {Informer}: stopped", Name);
        }
    }

    public async Task<bool> WaitForSyncAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (HasSynced)
        {
            return true;
        }

        try
        {
            await _synced.Task.WaitAsync(timeout, _time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Publish(Notification<T> notification) => _notifications.Writer.TryWrite(notification);

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var notification in _notifications.Reader.ReadAllAsync(cancellationToken))
            {
                Dispatch(notification);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: undelivered changes are moot, the cache is no longer maintained either.
        }
    }

    private void Dispatch(Notification<T> notification)
    {
        switch (notification.Kind)
        {
            case NotificationKind.Synced:
                _synced.TrySetResult();
                _logger.LogInformation("Informer {Informer}: synced with {Count} objects", Name, Cache.Count);
                return;
            case NotificationKind.JoinHandler:
                var joining = notification.Handler!;
                lock (_gate)
                {
                    _handlers = [.. _handlers, joining];
                }

                foreach (var obj in Cache.List())
                {
                    Invoke(joining, Notification<T>.Added(obj, isInInitialList: true));
                }

                return;
            default:
                foreach (var handler in Volatile.Read(ref _handlers))
                {
                    Invoke(handler, notification);
                }

                return;
        }
    }

    private void Invoke(IResourceEventHandler<T> handler, Notification<T> notification)
    {
        try
        {
            switch (notification.Kind)
            {
                case NotificationKind.Added:
                    handler.OnAdded(notification.Object!, notification.Flag);
                    break;
                case NotificationKind.Updated:
                    handler.OnUpdated(notification.OldObject!, notification.Object!);
                    break;
                case NotificationKind.Deleted:
                    handler.OnDeleted(notification.Object!, notification.Flag);
                    break;
            }
        }
        catch (Exception e)
        {
            // One faulty handler must not starve the others or stop the informer.
            _logger.LogError(e, "Informer {Informer}: an event handler failed on {Change} of {Key}", Name, notification.Kind, ObjectKeys.Of(notification.Object!));
        }
    }
}
