using ConsoleOperator.Kube.Runtime.Metrics;

namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>How a <see cref="WorkQueue{TKey}"/> is built.</summary>
public sealed class WorkQueueOptions<TKey>
    where TKey : notnull
{
    /// <summary>The queue's name, the <c>name</c> label of its metrics (usually the controller's name).</summary>
    public required string Name { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The retry policy of <see cref="WorkQueue{TKey}.AddRateLimited"/>; by default <see cref="ControllerRateLimiter.Default"/>.</summary>
    public IRateLimiter<TKey>? RateLimiter { get; init; }

    public WorkQueueMetrics? Metrics { get; init; }

    public IEqualityComparer<TKey>? Comparer { get; init; }
}
