using Prometheus;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// The per-controller metrics controller-runtime exposes, under the same names and labels, so
/// dashboards and alerts written for controller-runtime operators work unchanged.
/// </summary>
public sealed class ControllerMetrics
{
    // How one reconcile ended: controller-runtime's values of controller_runtime_reconcile_total{result}.
    public const string Success = "success";
    public const string Error = "error";
    public const string Requeue = "requeue";
    public const string RequeueAfter = "requeue_after";

    // controller-runtime's reconcile time buckets (5 ms to 60 s, finer where reconciles usually land).
    private static readonly double[] ReconcileTimeBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    private readonly Counter _reconcileTotal;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _reconcileTime;
    private readonly Gauge _activeWorkers;
    private readonly Gauge _maxConcurrentReconciles;

    public ControllerMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = registry.Factory;
        _reconcileTotal = factory.CreateCounter(
            "controller_runtime_reconcile_total", "Total number of reconciliations per controller", ["controller", "result"]);
        _reconcileErrors = factory.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Total number of reconciliation errors per controller", ["controller"]);
        _reconcileTime = factory.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Length of time per reconciliation per controller",
            ["controller"],
            new HistogramConfiguration { Buckets = ReconcileTimeBuckets });
        _activeWorkers = factory.CreateGauge(
            "controller_runtime_active_workers", "Number of currently used workers per controller", ["controller"]);
        _maxConcurrentReconciles = factory.CreateGauge(
            "controller_runtime_max_concurrent_reconciles", "Maximum number of concurrent reconciles per controller", ["controller"]);
    }

    /// <summary>
    /// Creates every series of a controller at zero, so a rate() over them works from the first
    /// scrape instead of appearing only after the first error.
    /// </summary>
    public void Initialize(string controller, int maxConcurrentReconciles)
    {
        foreach (var result in (string[])[Success, Error, Requeue, RequeueAfter])
        {
            _reconcileTotal.WithLabels(controller, result);
        }

        _reconcileErrors.WithLabels(controller);
        _reconcileTime.WithLabels(controller);
        _activeWorkers.WithLabels(controller).Set(0);
        _maxConcurrentReconciles.WithLabels(controller).Set(maxConcurrentReconciles);
    }

    /// <summary>Counts one finished reconcile and its duration; an error also counts in the error total.</summary>
    public void ReconcileFinished(string controller, string result, TimeSpan duration)
    {
        _reconcileTotal.WithLabels(controller, result).Inc();
        if (result == Error)
        {
            _reconcileErrors.WithLabels(controller).Inc();
        }

        _reconcileTime.WithLabels(controller).Observe(duration.TotalSeconds);
    }

    /// <summary>A worker took a key and is now reconciling it (controller-runtime counts busy workers, not started ones).</summary>
    public void WorkerBusy(string controller) => _activeWorkers.WithLabels(controller).Inc();

    /// <summary>A worker finished its key and is waiting for the next one.</summary>
    public void WorkerIdle(string controller) => _activeWorkers.WithLabels(controller).Dec();
}
