namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// The bucket layouts client-go and controller-runtime use for their metrics (generated layouts come from
/// prometheus-net's <c>Histogram.ExponentialBuckets</c>/<c>LinearBuckets</c>).
/// </summary>
public static class HistogramBuckets
{
    /// <summary>
    /// client-go's work queue durations: 10 ns to 10 s in powers of ten. Written out rather than
    /// multiplied so the bounds are exact decimals (1e-08, not 1.0000000000000001e-07).
    /// </summary>
    public static IReadOnlyList<double> WorkQueueDuration { get; } =
        [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

    /// <summary>controller-runtime's reconcile time buckets (5 ms to 60 s, finer where reconciles usually land).</summary>
    public static IReadOnlyList<double> ReconcileTime { get; } =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];
}
