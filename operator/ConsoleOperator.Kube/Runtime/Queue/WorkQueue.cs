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
/// All time comes from the injected <see cref="TimeProvider"/>; one timer serves every delayed key.
/// The lock is never held across an await and no user code runs under it.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly TimeSpan LongestTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly IRateLimiter<TKey> rateLimiter;
    private readonly IWorkQueueMetrics? metrics;

    // Keys ready for a worker, in the order they became ready.
    private readonly Queue<TKey> ready;

    // Keys that need processing (queued, or added again while processing), with the time they were added.
    private readonly Dictionary<TKey, long> dirty;

    // Keys held by a worker, with the time the worker got them.
    private readonly Dictionary<TKey, long> processing;

    // Delayed keys: their deadline, and a heap over deadlines whose superseded entries are skipped when popped.
    private readonly Dictionary<TKey, long> waitingDeadlines;
    private readonly PriorityQueue<TKey, long> waitingHeap;

    // Workers waiting in GetAsync while nothing is ready.
    private readonly LinkedList<TaskCompletionSource<WorkItem<TKey>>> getters = new();

    private readonly ITimer timer;
    private TaskCompletionSource? drained;
    private bool shuttingDown;

    public WorkQueue(WorkQueueOptions<TKey> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Name);
        Name = options.Name;
        time = options.TimeProvider;
        rateLimiter = options.RateLimiter ?? ControllerRateLimiter.Default<TKey>(time);
        metrics = options.Metrics;
        var comparer = options.Comparer ?? EqualityComparer<TKey>.Default;
        ready = new Queue<TKey>();
        dirty = new Dictionary<TKey, long>(comparer);
        processing = new Dictionary<TKey, long>(comparer);
        waitingDeadlines = new Dictionary<TKey, long>(comparer);
        waitingHeap = new PriorityQueue<TKey, long>();
        timer = time.CreateTimer(static state => ((WorkQueue<TKey>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        metrics?.TrackInFlight(InFlight);
    }

    public string Name { get; }

    /// <summary>How many keys are ready and waiting for a worker (not counting delayed or in-process ones).</summary>
    public int Length
    {
        get
        {
            lock (gate)
            {
                return ready.Count;
            }
        }
    }

    /// <summary>How many keys are scheduled for later.</summary>
    public int DelayedCount
    {
        get
        {
            lock (gate)
            {
                return waitingDeadlines.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (gate)
            {
                return shuttingDown;
            }
        }
    }

    /// <summary>Makes the key due now. Ignored once the queue is shutting down.</summary>
    public void Add(TKey key)
    {
        lock (gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>
    /// Makes the key due after <paramref name="delay"/>. If it is already scheduled, the earlier of
    /// the two deadlines is kept; a zero or negative delay is an immediate <see cref="Add"/>.
    /// </summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }

            metrics?.Retried();
            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var deadline = DeadlineAfter(delay);
            if (waitingDeadlines.TryGetValue(key, out var existing) && existing <= deadline)
            {
                return;
            }

            waitingDeadlines[key] = deadline;
            waitingHeap.Enqueue(key, deadline);
            CompactWaitingHeap();
            ScheduleTimer();
        }
    }

    /// <summary>Retries the key after the delay the rate limiter gives it (one more failure counted).</summary>
    public void AddRateLimited(TKey key)
    {
        if (IsShuttingDown)
        {
            return;
        }

        AddAfter(key, rateLimiter.When(key));
    }

    /// <summary>The key succeeded: its next failure starts from the shortest backoff again.</summary>
    public void Forget(TKey key) => rateLimiter.Forget(key);

    public int NumRequeues(TKey key) => rateLimiter.NumRequeues(key);

    /// <summary>
    /// Waits for a key and hands it to the caller, who must call <see cref="Done"/> with it when
    /// finished. After shut-down, keys still queued are handed out, then every call returns a
    /// <see cref="WorkItem{TKey}.IsShutDown"/> item.
    /// </summary>
    public async ValueTask<WorkItem<TKey>> GetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<WorkItem<TKey>> getter;
        LinkedListNode<TaskCompletionSource<WorkItem<TKey>>> node;
        lock (gate)
        {
            if (ready.TryDequeue(out var key))
            {
                StartProcessingLocked(key);
                metrics?.DepthChanged(ready.Count);
                return new WorkItem<TKey>(key);
            }

            if (shuttingDown)
            {
                return WorkItem<TKey>.ShutDown;
            }

            // Continuations run asynchronously: completing a getter under the lock must not run the worker under it.
            getter = new TaskCompletionSource<WorkItem<TKey>>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = getters.AddLast(getter);
        }

        using var registration = cancellationToken.Register(() => CancelGetter(node, cancellationToken));
        return await getter.Task;
    }

    /// <summary>The worker finished the key. If it was added again meanwhile, it is queued again now.</summary>
    public void Done(TKey key)
    {
        lock (gate)
        {
            if (!processing.Remove(key, out var started))
            {
                return;
            }

            metrics?.Finished(time.GetElapsedTime(started));
            if (dirty.ContainsKey(key))
            {
                EnqueueLocked(key);
            }

            CompleteDrainIfIdleLocked();
        }
    }

    /// <summary>
    /// Stops accepting keys: adds are ignored, delayed keys are dropped, and idle workers get a
    /// shut-down item. Keys already queued are still handed out, so workers can drain them.
    /// </summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<WorkItem<TKey>>> waiting;
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }

            shuttingDown = true;
            waitingDeadlines.Clear();
            waitingHeap.Clear();
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            waiting = [.. getters];
            getters.Clear();
        }

        foreach (var getter in waiting)
        {
            getter.TrySetResult(WorkItem<TKey>.ShutDown);
        }
    }

    /// <summary>
    /// Shuts down, then waits until workers have taken every queued key and called
    /// <see cref="Done"/> for every key they hold.
    /// </summary>
    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        Task idle;
        lock (gate)
        {
            drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            CompleteDrainIfIdleLocked();
            idle = drained.Task;
        }

        await idle.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        ShutDown();
        timer.Dispose();

        // The scrape-time probe holds this queue: detach it so a disposed queue can be collected.
        metrics?.TrackInFlight(static () => default);
    }

    private void AddLocked(TKey key)
    {
        if (shuttingDown)
        {
            return;
        }

        // Due now beats any later deadline: drop the delayed entry (its heap slot is skipped when popped).
        waitingDeadlines.Remove(key);
        if (dirty.ContainsKey(key))
        {
            return;
        }

        metrics?.Added();
        dirty[key] = time.GetTimestamp();

        // Held by a worker: Done puts it back, so two workers never hold it at once.
        if (processing.ContainsKey(key))
        {
            return;
        }

        EnqueueLocked(key);
    }

    private void EnqueueLocked(TKey key)
    {
        // Hand the key straight to a waiting worker if there is one; otherwise it waits in line.
        while (getters.First is { } node)
        {
            getters.RemoveFirst();
            StartProcessingLocked(key);
            if (node.Value.TrySetResult(new WorkItem<TKey>(key)))
            {
                return;
            }

            // Unreachable while cancellation also removes the node under the lock; kept so a key is never lost.
            processing.Remove(key);
        }

        ready.Enqueue(key);
        metrics?.DepthChanged(ready.Count);
    }

    private void StartProcessingLocked(TKey key)
    {
        var now = time.GetTimestamp();
        if (dirty.Remove(key, out var added))
        {
            metrics?.Dequeued(time.GetElapsedTime(added, now));
        }

        processing[key] = now;
    }

    private void CancelGetter(LinkedListNode<TaskCompletionSource<WorkItem<TKey>>> node, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // A node no longer in the list already got a key (or the shut-down signal): that result stands.
            if (node.List is null)
            {
                return;
            }

            getters.Remove(node);
            node.Value.TrySetCanceled(cancellationToken);
        }
    }

    private void OnTimer()
    {
        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }

            var now = time.GetTimestamp();
            while (waitingHeap.TryPeek(out var key, out var deadline) && deadline <= now)
            {
                waitingHeap.Dequeue();
                if (waitingDeadlines.TryGetValue(key, out var current) && current == deadline)
                {
                    waitingDeadlines.Remove(key);
                    AddLocked(key);
                }
            }

            ScheduleTimer();
        }
    }

    private void ScheduleTimer()
    {
        // Skip superseded heap entries so the timer aims at a deadline that still counts.
        while (waitingHeap.TryPeek(out var key, out var deadline)
            && (!waitingDeadlines.TryGetValue(key, out var current) || current != deadline))
        {
            waitingHeap.Dequeue();
        }

        if (!waitingHeap.TryPeek(out _, out var earliest))
        {
            timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var remainingStamps = earliest - time.GetTimestamp();
        if (remainingStamps <= 0)
        {
            timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return;
        }

        // Whole milliseconds, rounded up (in integers: a float product could add a spurious tick):
        // a timer that fired early would only find nothing due and re-arm.
        var milliseconds = CeilingDivide((Int128)remainingStamps * 1000, time.TimestampFrequency);
        var due = milliseconds >= (Int128)LongestTimerDelay.TotalMilliseconds
            ? LongestTimerDelay
            : TimeSpan.FromMilliseconds((long)milliseconds);
        timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void CompactWaitingHeap()
    {
        // Superseded entries linger until popped; rebuild when they outnumber the live ones.
        if (waitingHeap.Count <= (2 * waitingDeadlines.Count) + 64)
        {
            return;
        }

        waitingHeap.Clear();
        foreach (var (key, deadline) in waitingDeadlines)
        {
            waitingHeap.Enqueue(key, deadline);
        }
    }

    private long DeadlineAfter(TimeSpan delay)
    {
        var now = time.GetTimestamp();
        var stamps = CeilingDivide((Int128)delay.Ticks * time.TimestampFrequency, TimeSpan.TicksPerSecond);
        return stamps >= long.MaxValue - now ? long.MaxValue : now + (long)stamps;
    }

    private static Int128 CeilingDivide(Int128 dividend, long divisor) => (dividend + divisor - 1) / divisor;

    private void CompleteDrainIfIdleLocked()
    {
        if (shuttingDown && drained is not null && ready.Count == 0 && processing.Count == 0)
        {
            drained.TrySetResult();
        }
    }

    private InFlightWork InFlight()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var total = TimeSpan.Zero;
            var longest = TimeSpan.Zero;
            foreach (var started in processing.Values)
            {
                var held = time.GetElapsedTime(started, now);
                total += held;
                if (held > longest)
                {
                    longest = held;
                }
            }

            return new InFlightWork(total, longest);
        }
    }
}
