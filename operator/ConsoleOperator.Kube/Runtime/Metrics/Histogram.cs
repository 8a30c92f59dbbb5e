namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// One histogram series. Each observation touches one bucket counter and the sum, without locks;
/// buckets are kept non-cumulative and summed at scrape time, so the exposed <c>+Inf</c> bucket
/// and <c>_count</c> always agree with the buckets below them.
/// </summary>
public sealed class Histogram
{
    private readonly double[] upperBounds;

    // One slot per finite bound plus a last one for observations above every bound.
    private readonly long[] bucketCounts;
    private double sum;

    internal Histogram(double[] upperBounds)
    {
        this.upperBounds = upperBounds;
        bucketCounts = new long[upperBounds.Length + 1];
    }

    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A histogram cannot observe NaN.");
        }

        // Buckets are "less than or equal": the first bound not below the value takes it.
        var index = Array.BinarySearch(upperBounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref bucketCounts[index]);
        AtomicDouble.Add(ref sum, value);
    }

    /// <summary>Observes a duration in seconds, the unit Prometheus uses for time.</summary>
    public void Observe(TimeSpan duration) => Observe(duration.TotalSeconds);

    public long Count => Snapshot().Count;

    public double Sum => Volatile.Read(ref sum);

    internal HistogramSnapshot Snapshot()
    {
        var cumulative = new long[bucketCounts.Length];
        long running = 0;
        for (var i = 0; i < bucketCounts.Length; i++)
        {
            running += Volatile.Read(ref bucketCounts[i]);
            cumulative[i] = running;
        }

        return new HistogramSnapshot(cumulative, Volatile.Read(ref sum));
    }
}
