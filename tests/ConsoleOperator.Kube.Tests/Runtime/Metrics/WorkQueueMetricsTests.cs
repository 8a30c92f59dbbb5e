using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Queue;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

public sealed class WorkQueueMetricsTests
{
    [Fact]
    public async Task A_queue_reports_depth_adds_retries_and_durations_under_client_go_names()
    {
        var clock = new ManualTimeProvider();
        var registry = new MetricsRegistry();
        using var queue = new WorkQueue<string>("consoleproxy", timeProvider: clock, metrics: new WorkQueueMetrics(registry, "consoleproxy"));

        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, await SampleAsync(registry, "workqueue_depth"));
        Assert.Equal(2, await SampleAsync(registry, "workqueue_adds_total"));

        clock.Advance(TimeSpan.FromSeconds(2));
        var a = await queue.GetAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3));
        var b = await queue.GetAsync(CancellationToken.None);
        Assert.Equal(0, await SampleAsync(registry, "workqueue_depth"));
        Assert.Equal(7, await SampleAsync(registry, "workqueue_queue_duration_seconds_sum"));
        Assert.Equal(2, await SampleAsync(registry, "workqueue_queue_duration_seconds_count"));

        // In flight: a held for 4 s + b for 1 s = 5 s unfinished, longest 4 s, read at scrape time.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, await SampleAsync(registry, "workqueue_unfinished_work_seconds"));
        Assert.Equal(4, await SampleAsync(registry, "workqueue_longest_running_processor_seconds"));

        queue.Done(a.Key);
        queue.Done(b.Key);
        Assert.Equal(5, await SampleAsync(registry, "workqueue_work_duration_seconds_sum"));
        Assert.Equal(0, await SampleAsync(registry, "workqueue_unfinished_work_seconds"));

        queue.AddRateLimited("a");
        queue.AddAfter("b", TimeSpan.FromSeconds(1));
        Assert.Equal(2, await SampleAsync(registry, "workqueue_retries_total"));
    }

    [Fact]
    public async Task Two_queues_share_the_families_with_their_own_series()
    {
        var registry = new MetricsRegistry();
        using var first = new WorkQueue<string>("one", timeProvider: new ManualTimeProvider(), metrics: new WorkQueueMetrics(registry, "one"));
        using var second = new WorkQueue<string>("two", timeProvider: new ManualTimeProvider(), metrics: new WorkQueueMetrics(registry, "two"));
        first.Add("x");

        var text = await registry.ToTextAsync(CancellationToken.None);

        Assert.Contains("workqueue_depth{name=\"one\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_depth{name=\"two\"} 0\n", text, StringComparison.Ordinal);
        Assert.Single(PrometheusTextParser.Parse(text), family => family.Name == "workqueue_depth");
    }

    [Fact]
    public async Task A_disposed_queue_is_let_go_by_the_scrape_time_probe()
    {
        var registry = new MetricsRegistry();
        var queue = Held(registry);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(queue.TryGetTarget(out _));
        Assert.Equal(0, await SampleAsync(registry, "workqueue_unfinished_work_seconds"));
    }

    // A queue holding a key for 3 s, disposed; out of line so that no local keeps it alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<WorkQueue<string>> Held(MetricsRegistry registry)
    {
        var clock = new ManualTimeProvider();
        var queue = new WorkQueue<string>("gone", timeProvider: clock, metrics: new WorkQueueMetrics(registry, "gone"));
        queue.Add("a");
        _ = queue.GetAsync(CancellationToken.None).AsTask().Result;
        clock.Advance(TimeSpan.FromSeconds(3));
        queue.Dispose();
        return new WeakReference<WorkQueue<string>>(queue);
    }

    private static async Task<double> SampleAsync(MetricsRegistry registry, string name) =>
        PrometheusTextParser.Parse(await registry.ToTextAsync(CancellationToken.None))
            .SelectMany(family => family.Samples)
            .Single(sample => sample.Name == name)
            .Value;
}
