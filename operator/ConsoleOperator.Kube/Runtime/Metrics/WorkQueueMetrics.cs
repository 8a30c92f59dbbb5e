using ConsoleOperator.Kube.Runtime.Queue;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// client-go's work queue metrics (<c>workqueue_*{name}</c>) for one named queue. Every queue of a
/// process shares the families and gets its own series.
/// </summary>
public sealed class WorkQueueMetrics : IWorkQueueMetrics
{
    private readonly Gauge depth;
    private readonly Counter adds;
    private readonly Counter retries;
    private readonly Histogram queueDuration;
    private readonly Histogram workDuration;
    private readonly Gauge unfinishedWork;
    private readonly Gauge longestRunning;

    public WorkQueueMetrics(MetricsRegistry registry, string name)
    {
        Name = name;
        depth = registry.Gauge("workqueue_depth", "Current depth of workqueue", "name").WithLabels(name);
        adds = registry.Counter("workqueue_adds_total", "Total number of adds handled by workqueue", "name").WithLabels(name);
        retries = registry.Counter("workqueue_retries_total", "Total number of retries handled by workqueue", "name").WithLabels(name);
        queueDuration = registry.Histogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested",
            HistogramBuckets.WorkQueueDuration,
            "name").WithLabels(name);
        workDuration = registry.Histogram(
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes",
            HistogramBuckets.WorkQueueDuration,
            "name").WithLabels(name);
        unfinishedWork = registry.Gauge(
            "workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
            "name").WithLabels(name);
        longestRunning = registry.Gauge(
            "workqueue_longest_running_processor_seconds",
            "How many seconds has the longest running processor for workqueue been running",
            "name").WithLabels(name);
    }

    public string Name { get; }

    public void Added() => adds.Inc();

    public void Retried() => retries.Inc();

    public void DepthChanged(int depth) => this.depth.Set(depth);

    public void Dequeued(TimeSpan queued) => queueDuration.Observe(queued);

    public void Finished(TimeSpan processing) => workDuration.Observe(processing);

    public void TrackInFlight(Func<InFlightWork> probe)
    {
        unfinishedWork.SetFunction(() => probe().Unfinished.TotalSeconds);
        longestRunning.SetFunction(() => probe().LongestRunning.TotalSeconds);
    }
}
