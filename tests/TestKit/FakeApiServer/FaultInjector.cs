namespace TestKit.FakeApiServer;

/// <summary>
/// The test controls of the fake: fail the next requests, answer watches with the in-stream 410, drop or stall
/// open watch connections, compact history, send bookmarks now. Thread-safe.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly Queue<InjectedFailure> _failures = new();
    private readonly ObjectStore _store;
    private int _goneWatches;
    private bool _goneAllWatches;
    private TaskCompletionSource _bookmarkSignal = NewSignal();

    internal FaultInjector(ObjectStore store) => _store = store;

    /// <summary>Answers the next <paramref name="count"/> matching requests with the given Status (e.g. 500, 429, 409).</summary>
    public void FailNextRequests(int count, int code, string reason, string message, Func<LoggedRequest, bool>? appliesTo = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _failures.Enqueue(new InjectedFailure(code, reason, message, appliesTo));
            }
        }
    }

    /// <summary>The next <paramref name="count"/> watches get HTTP 200 + one ERROR event with a 410 Expired Status, then EOF.</summary>
    public void ExpireNextWatches(int count = 1)
    {
        lock (_gate)
        {
            _goneWatches += count;
        }
    }

    /// <summary>While on, every new watch gets the in-stream 410 (a client must relist, not loop on watch).</summary>
    public void ExpireAllWatches(bool on)
    {
        lock (_gate)
        {
            _goneAllWatches = on;
        }
    }

    /// <summary>Resets the open watch connections mid-stream. Returns how many there were.</summary>
    public int DropWatchConnections() => _store.DropAllWatches();

    /// <summary>Makes the open watches go silent with the connection kept open. Returns how many there were.</summary>
    public int StallWatchConnections() => _store.StallAllWatches();

    /// <summary>Compacts history: list snapshots, continue tokens and watch RVs up to now become too old (410).</summary>
    public long CompactHistory() => _store.Compact();

    /// <summary>Every open watch that asked for bookmarks gets a BOOKMARK now.</summary>
    public void SendBookmarksNow()
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            signal = _bookmarkSignal;
            _bookmarkSignal = NewSignal();
        }

        signal.TrySetResult();
    }

    internal Task BookmarkRequested
    {
        get
        {
            lock (_gate)
            {
                return _bookmarkSignal.Task;
            }
        }
    }

    internal InjectedFailure? TakeFailure(LoggedRequest request)
    {
        lock (_gate)
        {
            if (_failures.Count == 0)
            {
                return null;
            }

            var next = _failures.Peek();
            if (next.AppliesTo is not null && !next.AppliesTo(request))
            {
                return null;
            }

            return _failures.Dequeue();
        }
    }

    internal bool TakeWatchExpiry()
    {
        lock (_gate)
        {
            if (_goneAllWatches)
            {
                return true;
            }

            if (_goneWatches == 0)
            {
                return false;
            }

            _goneWatches--;
            return true;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
