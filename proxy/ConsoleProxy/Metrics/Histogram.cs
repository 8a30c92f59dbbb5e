using System.Globalization;
using System.Text;

namespace ConsoleProxy.Metrics;

/// <summary>
/// A Prometheus histogram with fixed bucket bounds (seconds): one atomic count per bucket and the
/// sum kept in ticks so it can be added atomically too. Observing is a short scan and two atomic
/// adds; no locks, no allocation, so it can sit on the session set-up path.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _buckets;
    private long _count;
    private long _sumTicks;

    public Histogram(string name, string help, IReadOnlyList<double> bounds)
    {
        if (bounds.Count == 0 || bounds.Zip(bounds.Skip(1)).Any(pair => pair.First >= pair.Second))
        {
            throw new ArgumentException("bucket bounds must be non-empty and strictly increasing", nameof(bounds));
        }

        Name = name;
        Help = help;
        _bounds = [.. bounds];
        _buckets = new long[_bounds.Length];
    }

    public string Name { get; }

    public string Help { get; }

    public long Count => Volatile.Read(ref _count);

    public TimeSpan Sum => TimeSpan.FromTicks(Volatile.Read(ref _sumTicks));

    public void Observe(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;

        // Buckets hold non-cumulative counts; the exporter accumulates (cheaper than bumping every bucket above).
        var index = 0;
        while (index < _bounds.Length && seconds > _bounds[index])
        {
            index++;
        }

        if (index < _bounds.Length)
        {
            Interlocked.Increment(ref _buckets[index]);
        }

        Interlocked.Add(ref _sumTicks, Math.Max(0, duration.Ticks));
        Interlocked.Increment(ref _count);
    }

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.Header(output, Name, Help, "histogram");

        // Read the total first: a concurrent observation may then show in a bucket but not in the
        // count, never the other way round, so the +Inf bucket (== count) stays >= every bucket.
        var count = Volatile.Read(ref _count);
        var cumulative = 0L;
        for (var i = 0; i < _bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _buckets[i]);
            PrometheusText.Sample(output, Name + "_bucket", "le", _bounds[i].ToString("R", CultureInfo.InvariantCulture), Math.Min(cumulative, count));
        }

        PrometheusText.Sample(output, Name + "_bucket", "le", "+Inf", count);
        output.Append(Name).Append("_sum ").Append(Sum.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        output.Append(Name).Append("_count ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
