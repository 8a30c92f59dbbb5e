namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>p50, p99 and p99.9 of a set of latency samples in microseconds (NaN when there were none).</summary>
public readonly record struct LatencyPercentiles(double P50, double P99, double P999, int Count)
{
    public static LatencyPercentiles Of(IEnumerable<uint> samples)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return new LatencyPercentiles(At(sorted, 0.50), At(sorted, 0.99), At(sorted, 0.999), sorted.Length);
    }

    private static double At(uint[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
}
