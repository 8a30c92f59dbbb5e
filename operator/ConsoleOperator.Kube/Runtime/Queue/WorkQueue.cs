using ConsoleOperator.Kube.Runtime.Metrics;

namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// A queue of keys shared by N workers, with client-go's semantics:
/// <list type="bullet">
/// <item>a key is in the queue at most once: repeated adds collapse into one;</item>
/// <item>a key is never handed to two workers at once: adding a key that is being processed marks
/// it dirty, and <see cref="Done"/> puts it back;</item>
/// <item><see cref="AddAfter"/> schedules a key for later, the earliest deadline wins, and an
/// immediate <see cref="Add"/> supersedes a pending delayed one;</item>
/// <item><see cref="AddRateLimited"/> retries with the rate limiter's delay, <see cref="Forget"/>
/// resets it.</item>
/// </list>
/// All time comes from the injected <see cref="TimeProvider"/>; each delayed key has its own one-shot timer
/// (the runtime's timer queue already is the heap of deadlines client-go keeps by hand).
/// One lock guards all state; it is never held across an await and no user code runs under it.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan LongestTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly BackoffRateLimiter<TKey> _rateLimiter;
    private readonly WorkQueueMetrics? _metrics;

    // Keys ready for a worker, in the order they became ready.
    private readonly Queue<TKey> _ready = new();

    // Keys that need processing (queued, or added again while processing), with the time they were added.
    private readonly Dictionary<TKey, long> _dirty = [];

    // Keys held by a worker, with the time the worker got them.
    private readonly Dictionary<TKey, long> _processing = [];

    // Delayed keys: when they were scheduled, for how long, and the timer that makes them due.
    private readonly Dictionary<TKey, (long Since, TimeSpan Delay, ITimer Timer)> _delayed = [];

    // Workers waiting in GetAsync while nothing is ready.
    private readonly LinkedList<TaskCompletionSource<WorkItem<TKey>>> _getters = new();

    private bool _shuttingDown;

    /// <param name="name">The <c>name</c> label of its metrics (usually the controller's name).</param>
    /// <param name="rateLimiter">The retry policy of <see cref="AddRateLimited"/>; by default client-go's (<see cref="BackoffRateLimiter{TKey}(TimeProvider)"/>).</param>
    public WorkQueue(string name, TimeProvider? timeProvider = null, BackoffRateLimiter<TKey>? rateLimiter = null, WorkQueueMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _time = timeProvider ?? TimeProvider.System;
        _rateLimiter = rateLimiter ?? new BackoffRateLimiter<TKey>(_time);
        _metrics = metrics;
        _metrics?.TrackInFlight(InFlight);
    }

    public string Name { get; }

    /// <summary>How many keys are ready and waiting for a worker (not counting delayed or in-process ones).</summary>
    public int Length => Locked(() => _ready.Count);

    /// <summary>How many keys are scheduled for later.</summary>
    public int DelayedCount => Locked(() => _delayed.Count);

    public bool IsShuttingDown => Locked(() => _shuttingDown);

    /// <summary>Makes the key due now. Ignored once the queue is shutting down.</summary>
    public void Add(TKey key) => Locked(() => AddLocked(key));

    /// <summary>
    /// Makes the key due after <paramref name="delay"/>. If it is already scheduled, the earlier of
    /// the two deadlines is kept; a zero or negative delay is an immediate <see cref="Add"/>.
    /// </summary>
    public void AddAfter(TKey key, TimeSpan delay) => Locked(() => AddAfterLocked(key, delay));

    /// <summary>Retries the key after the delay the rate limiter gives it (one more failure counted, unless shutting down).</summary>
    public void AddRateLimited(TKey key) => Locked(() =>
    {
        if (!_shuttingDown)
        {
            AddAfterLocked(key, _rateLimiter.When(key));
        }
    });

    /// <summary>The key succeeded: its next failure starts from the shortest backoff again.</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);

    /// <summary>
    /// Waits for a key and hands it to the caller, who must call <see cref="Done"/> with it when
    /// finished. After shut-down, keys still queued are handed out, then every call returns a
    /// <see cref="WorkItem{TKey}.IsShutDown"/> item.
    /// </summary>
    public async ValueTask<WorkItem<TKey>> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource<WorkItem<TKey>>> node;
        lock (_gate)
        {
            if (_ready.TryDequeue(out var key))
            {
                _metrics?.DepthChanged(_ready.Count);
                return StartProcessingLocked(key);
            }

            if (_shuttingDown)
            {
                return new WorkItem<TKey>(IsShutDown: true, default);
            }

            // Continuations run asynchronously: completing a getter under the lock must not run the worker under it.
            node = _getters.AddLast(new TaskCompletionSource<WorkItem<TKey>>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        using var registration = cancellationToken.Register(() => Locked(() =>
        {
            // A node no longer in the list already got a key (or the shut-down signal): that result stands.
            if (node.List is not null)
            {
                _getters.Remove(node);
                node.Value.TrySetCanceled(cancellationToken);
            }
        }));
        return await node.Value.Task;
    }

    /// <summary>The worker finished the key. If it was added again meanwhile, it is queued again now.</summary>
    public void Done(TKey key) => Locked(() =>
    {
        if (_processing.Remove(key, out var started))
        {
            _metrics?.Finished(_time.GetElapsedTime(started));
            if (_dirty.ContainsKey(key))
            {
                EnqueueLocked(key);
            }
        }
    });

    /// <summary>
    /// Stops accepting keys: adds are ignored, delayed keys are dropped, and idle workers get a
    /// shut-down item. Keys already queued are still handed out, so workers can drain them.
    /// </summary>
    public void ShutDown() => Locked(() =>
    {
        _shuttingDown = true;
        foreach (var pending in _delayed.Values)
        {
            pending.Timer.Dispose();
        }

        _delayed.Clear();
        foreach (var getter in _getters)
        {
            getter.TrySetResult(new WorkItem<TKey>(IsShutDown: true, default));
        }

        _getters.Clear();
    });

    public void Dispose()
    {
        ShutDown();

        // The scrape-time probe holds this queue: detach it so a disposed queue can be collected.
        _metrics?.TrackInFlight(static () => default);
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private void Locked(Action change)
    {
        lock (_gate)
        {
            change();
        }
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown)
        {
            return;
        }

        // Due now beats any later deadline: drop the delayed entry and its timer.
        if (_delayed.Remove(key, out var pending))
        {
            pending.Timer.Dispose();
        }

        if (!_dirty.TryAdd(key, _time.GetTimestamp()))
        {
            return;
        }

        _metrics?.Added();

        // Held by a worker: Done puts it back, so two workers never hold it at once.
        if (!_processing.ContainsKey(key))
        {
            EnqueueLocked(key);
        }
    }

    private void AddAfterLocked(TKey key, TimeSpan delay)
    {
        if (_shuttingDown)
        {
            return;
        }

        _metrics?.Retried();
        if (delay <= TimeSpan.Zero)
        {
            AddLocked(key);
            return;
        }

        if (_delayed.TryGetValue(key, out var pending))
        {
            if (Remaining(pending) <= delay)
            {
                return;
            }

            pending.Timer.Dispose();
        }

        var timer = _time.CreateTimer(_ => Locked(() => OnDueLocked(key)), null, TimerDelay(delay), Timeout.InfiniteTimeSpan);
        _delayed[key] = (_time.GetTimestamp(), delay, timer);
    }

    private void EnqueueLocked(TKey key)
    {
        // Hand the key straight to a waiting worker if there is one (cancelled getters leave the list under the lock,
        // so the first one always takes it); otherwise it waits in line.
        if (_getters.First is { } node)
        {
            _getters.RemoveFirst();
            node.Value.SetResult(StartProcessingLocked(key));
            return;
        }

        _ready.Enqueue(key);
        _metrics?.DepthChanged(_ready.Count);
    }

    private WorkItem<TKey> StartProcessingLocked(TKey key)
    {
        var now = _time.GetTimestamp();
        if (_dirty.Remove(key, out var added))
        {
            _metrics?.Dequeued(_time.GetElapsedTime(added, now));
        }

        _processing[key] = now;
        return new WorkItem<TKey>(IsShutDown: false, key);
    }

    private void OnDueLocked(TKey key)
    {
        if (_shuttingDown || !_delayed.TryGetValue(key, out var pending))
        {
            return;
        }

        // A timer may fire a little early, and a long delay is armed in steps: re-arm for what is left.
        var remaining = Remaining(pending);
        if (remaining > TimeSpan.Zero)
        {
            pending.Timer.Change(TimerDelay(remaining), Timeout.InfiniteTimeSpan);
            return;
        }

        AddLocked(key);
    }

    private TimeSpan Remaining((long Since, TimeSpan Delay, ITimer Timer) pending) => pending.Delay - _time.GetElapsedTime(pending.Since);

    // Whole milliseconds, rounded up, and at most what a timer accepts (about 49 days).
    private static TimeSpan TimerDelay(TimeSpan delay) =>
        delay >= LongestTimerDelay ? LongestTimerDelay : TimeSpan.FromMilliseconds(Math.Ceiling(delay.TotalMilliseconds));

    /// <summary>
    /// The work held by workers right now: the summed time all of them have held their keys (grows when workers are
    /// stuck), and the time the longest-running one has held its key.
    /// </summary>
    private (TimeSpan Unfinished, TimeSpan LongestRunning) InFlight() => Locked(() =>
    {
        var now = _time.GetTimestamp();
        var held = _processing.Values.Select(started => _time.GetElapsedTime(started, now)).ToList();
        return (TimeSpan.FromTicks(held.Sum(h => h.Ticks)), held.Count == 0 ? TimeSpan.Zero : held.Max());
    });
}
