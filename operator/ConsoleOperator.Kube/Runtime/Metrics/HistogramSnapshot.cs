namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>The cumulative bucket counts (the last one is <c>+Inf</c>) and the sum, read at one scrape.</summary>
internal readonly record struct HistogramSnapshot(long[] CumulativeCounts, double Sum)
{
    public long Count => CumulativeCounts[^1];
}
