using System.Threading.Channels;
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
/// Ready keys wait in a channel, which also queues the waiting workers (in order, leaving when cancelled). One lock
/// guards the rest; it is never held across an await and no user code runs under it.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan LongestTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
    private static readonly WorkItem<TKey> ShutDownItem = new(IsShutDown: true, default);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly BackoffRateLimiter<TKey> _rateLimiter;
    private readonly WorkQueueMetrics? _metrics;

    // Keys ready for a worker, in the order they became ready.
    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });

    // Keys that need processing (queued, or added again while processing), with the time they were added.
    private readonly Dictionary<TKey, long> _dirty = [];

    // Keys held by a worker, with the time the worker got them.
    private readonly Dictionary<TKey, long> _processing = [];

    // Delayed keys: when they were scheduled, for how long, and the timer that makes them due.
    private readonly Dictionary<TKey, (long Since, TimeSpan Delay, ITimer Timer)> _delayed = [];

    // Cancelled at shut-down: wakes the workers waiting for a key.
    private readonly CancellationTokenSource _shutDown = new();

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
    public int Length => _ready.Reader.Count;

    /// <summary>How many keys are scheduled for later.</summary>
    public int DelayedCount => Locked(() => _delayed.Count);

    public bool IsShuttingDown => _shutDown.IsCancellationRequested;

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
        if (!IsShuttingDown)
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
        if (!_ready.Reader.TryRead(out var key))
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutDown.Token);
            try
            {
                key = await _ready.Reader.ReadAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ShutDownItem;
            }
        }

        return Locked(() =>
        {
            var now = _time.GetTimestamp();
            _metrics?.Depth.Set(_ready.Reader.Count);
            if (_dirty.Remove(key, out var added))
            {
                _metrics?.QueueDuration.Observe(_time.GetElapsedTime(added, now).TotalSeconds);
            }

            _processing[key] = now;
            return new WorkItem<TKey>(IsShutDown: false, key);
        });
    }

    /// <summary>The worker finished the key. If it was added again meanwhile, it is queued again now.</summary>
    public void Done(TKey key) => Locked(() =>
    {
        if (_processing.Remove(key, out var started))
        {
            _metrics?.WorkDuration.Observe(_time.GetElapsedTime(started).TotalSeconds);
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
        // The channel runs no continuation synchronously, so no worker runs under the lock.
        _shutDown.Cancel();
        foreach (var pending in _delayed.Values)
        {
            pending.Timer.Dispose();
        }

        _delayed.Clear();
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
        if (IsShuttingDown)
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

        _metrics?.Adds.Inc();

        // Held by a worker: Done puts it back, so two workers never hold it at once.
        if (!_processing.ContainsKey(key))
        {
            EnqueueLocked(key);
        }
    }

    private void AddAfterLocked(TKey key, TimeSpan delay)
    {
        if (IsShuttingDown)
        {
            return;
        }

        _metrics?.Retries.Inc();
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
        _ready.Writer.TryWrite(key);
        _metrics?.Depth.Set(_ready.Reader.Count);
    }

    private void OnDueLocked(TKey key)
    {
        if (IsShuttingDown || !_delayed.TryGetValue(key, out var pending))
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
