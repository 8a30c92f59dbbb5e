namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// What a work queue reports about itself. Calls come from inside the queue's lock: implementations
/// must be cheap and must not call back into the queue.
/// </summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key became due for processing (an Add that collapsed into a key already due does not count).</summary>
    void Added();

    /// <summary>A key was scheduled for later (AddAfter, which AddRateLimited goes through).</summary>
    void Retried();

    /// <summary>The number of keys waiting to be picked up changed.</summary>
    void DepthChanged(int depth);

    /// <summary>A worker got a key that had waited <paramref name="queued"/> since it was added.</summary>
    void Dequeued(TimeSpan queued);

    /// <summary>A worker finished a key it had held for <paramref name="processing"/>.</summary>
    void Finished(TimeSpan processing);

    /// <summary>
    /// Registers a probe of the work in progress, read at scrape time: the in-flight durations change
    /// by themselves, so they are computed when asked for rather than pushed.
    /// </summary>
    void TrackInFlight(Func<InFlightWork> probe);
}
