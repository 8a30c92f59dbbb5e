using ConsoleOperator.Kube.Runtime.Queue;
using Prometheus;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// client-go's work queue metrics (<c>workqueue_*{name}</c>) for one named queue, which updates them itself. Every
/// queue of a process shares the families and gets its own series. The time work has been held is read at scrape time
/// (<see cref="TrackInFlight"/>): it grows by itself, so it is computed when asked for rather than pushed.
/// </summary>
public sealed class WorkQueueMetrics
{
    // client-go's work queue durations: 10 ns to 10 s in powers of ten. Written out rather than multiplied so the
    // bounds are exact decimals (1e-08, not 1.0000000000000001e-07).
    private static readonly double[] DurationBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

    // Read at scrape time; replaced, never added to, so a disposed queue is let go.
    private Func<(TimeSpan Unfinished, TimeSpan LongestRunning)> _inFlight = static () => default;

    public WorkQueueMetrics(MetricsRegistry registry, string name)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = registry.Factory;
        var buckets = new HistogramConfiguration { Buckets = DurationBuckets };
        Depth = factory.CreateGauge("workqueue_depth", "Current depth of workqueue", ["name"]).WithLabels(name);
        Adds = factory.CreateCounter("workqueue_adds_total", "Total number of adds handled by workqueue", ["name"]).WithLabels(name);
        Retries = factory.CreateCounter("workqueue_retries_total", "Total number of retries handled by workqueue", ["name"]).WithLabels(name);
        QueueDuration = factory.CreateHistogram(
            "workqueue_queue_duration_seconds",
            "How long in seconds an item stays in workqueue before being requested",
            ["name"],
            buckets).WithLabels(name);
        WorkDuration = factory.CreateHistogram(
            "workqueue_work_duration_seconds",
            "How long in seconds processing an item from workqueue takes",
            ["name"],
            buckets).WithLabels(name);
        var unfinishedWork = factory.CreateGauge(
            "workqueue_unfinished_work_seconds",
            "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
            ["name"]).WithLabels(name);
        var longestRunning = factory.CreateGauge(
            "workqueue_longest_running_processor_seconds",
            "How many seconds has the longest running processor for workqueue been running",
            ["name"]).WithLabels(name);
        registry.SetAtScrape(unfinishedWork, () => _inFlight().Unfinished.TotalSeconds);
        registry.SetAtScrape(longestRunning, () => _inFlight().LongestRunning.TotalSeconds);
    }

    internal Gauge.Child Depth { get; }

    internal Counter.Child Adds { get; }

    internal Counter.Child Retries { get; }

    internal Histogram.Child QueueDuration { get; }

    internal Histogram.Child WorkDuration { get; }

    public void TrackInFlight(Func<(TimeSpan Unfinished, TimeSpan LongestRunning)> probe) => _inFlight = probe;
}
