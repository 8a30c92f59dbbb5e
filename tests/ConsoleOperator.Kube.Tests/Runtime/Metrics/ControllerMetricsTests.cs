using ConsoleOperator.Kube.Runtime.Metrics;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

public sealed class ControllerMetricsTests
{
    [Fact]
    public async Task Initialize_exposes_every_series_of_a_controller_at_zero_and_the_worker_limit()
    {
        var registry = new MetricsRegistry();
        var metrics = new ControllerMetrics(registry);

        metrics.Initialize("consoleproxy", 4);

        var text = await registry.ToTextAsync(CancellationToken.None);
        foreach (var result in new[] { "error", "requeue", "requeue_after", "success" })
        {
            Assert.Contains($"controller_runtime_reconcile_total{{controller=\"consoleproxy\",result=\"{result}\"}} 0\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"consoleproxy\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_max_concurrent_reconciles{controller=\"consoleproxy\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_active_workers{controller=\"consoleproxy\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_time_seconds_count{controller=\"consoleproxy\"} 0\n", text, StringComparison.Ordinal);
        PrometheusTextParser.Parse(text);
    }

    [Fact]
    public async Task Finished_reconciles_move_the_totals_errors_and_time_histogram()
    {
        var registry = new MetricsRegistry();
        var metrics = new ControllerMetrics(registry);

        metrics.ReconcileFinished("c", ControllerMetrics.Success, TimeSpan.FromMilliseconds(20));
        metrics.ReconcileFinished("c", ControllerMetrics.Error, TimeSpan.FromSeconds(2));
        metrics.ReconcileFinished("c", ControllerMetrics.RequeueAfter, TimeSpan.FromSeconds(90));
        metrics.WorkerBusy("c");
        metrics.WorkerBusy("c");
        metrics.WorkerIdle("c");

        var families = PrometheusTextParser.Parse(await registry.ToTextAsync(CancellationToken.None)).ToDictionary(family => family.Name);
        double Value(string family, string? result = null, string? le = null, string? name = null) =>
            families[family].Samples.Single(sample =>
                (name is null || sample.Name == name)
                && (result is null || sample.Labels["result"] == result)
                && (le is null || sample.Labels["le"] == le)).Value;

        Assert.Equal(1, Value("controller_runtime_reconcile_total", "success"));
        Assert.Equal(1, Value("controller_runtime_reconcile_total", "error"));
        Assert.Equal(1, Value("controller_runtime_reconcile_total", "requeue_after"));
        Assert.Equal(1, Value("controller_runtime_reconcile_errors_total"));
        Assert.Equal(1, Value("controller_runtime_active_workers"));
        Assert.Equal(1, Value("controller_runtime_reconcile_time_seconds", le: "0.025", name: "controller_runtime_reconcile_time_seconds_bucket"));
        Assert.Equal(2, Value("controller_runtime_reconcile_time_seconds", le: "60", name: "controller_runtime_reconcile_time_seconds_bucket"));
        Assert.Equal(3, Value("controller_runtime_reconcile_time_seconds", le: "+Inf", name: "controller_runtime_reconcile_time_seconds_bucket"));
        Assert.Equal(92.02, Value("controller_runtime_reconcile_time_seconds", name: "controller_runtime_reconcile_time_seconds_sum"), 9);
    }
}
