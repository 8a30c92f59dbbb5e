using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Queue;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>How a controller runs.</summary>
public sealed record ControllerOptions
{
    /// <summary>How many keys are reconciled at once (never the same key twice at once).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>How long the informers may take to sync before the run fails.</summary>
    public TimeSpan CacheSyncTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Builds the retry policy of each run's queue; null: per-key 5 ms to 1000 s plus 10/s overall.</summary>
    public Func<TimeProvider, BackoffRateLimiter<ObjectKey>>? RateLimiter { get; init; }

    /// <summary>Where controller_runtime_* and workqueue_* metrics go; null: not measured.</summary>
    public MetricsRegistry? Metrics { get; init; }
}
