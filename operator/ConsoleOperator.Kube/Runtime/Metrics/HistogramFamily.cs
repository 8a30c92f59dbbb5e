namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>A histogram metric: shared bucket bounds, one series per label-value combination.</summary>
public sealed class HistogramFamily : MetricFamily<Histogram>
{
    private readonly double[] upperBounds;
    private readonly string[] boundLabels;

    internal HistogramFamily(string name, string help, double[] upperBounds, string[] labelNames)
        : base(name, help, MetricType.Histogram, labelNames)
    {
        this.upperBounds = upperBounds;
        boundLabels = [.. upperBounds.Select(PrometheusText.FormatValue), "+Inf"];
    }

    /// <summary>The finite bucket bounds; the <c>+Inf</c> bucket is implicit.</summary>
    public IReadOnlyList<double> Buckets => upperBounds;

    /// <summary>Checks bounds are finite and strictly increasing; drops a trailing +Inf given explicitly.</summary>
    internal static double[] ValidateBuckets(IReadOnlyList<double> buckets)
    {
        var bounds = buckets.ToList();
        if (bounds.Count > 0 && double.IsPositiveInfinity(bounds[^1]))
        {
            bounds.RemoveAt(bounds.Count - 1);
        }

        if (bounds.Count == 0)
        {
            throw new ArgumentException("A histogram needs at least one finite bucket bound.", nameof(buckets));
        }

        for (var i = 0; i < bounds.Count; i++)
        {
            if (!double.IsFinite(bounds[i]))
            {
                throw new ArgumentException($"Bucket bound {bounds[i]} is not finite.", nameof(buckets));
            }

            if (i > 0 && bounds[i] <= bounds[i - 1])
            {
                throw new ArgumentException("Bucket bounds must be strictly increasing.", nameof(buckets));
            }
        }

        return [.. bounds];
    }

    internal bool HasSameBuckets(IReadOnlyList<double> buckets) => upperBounds.SequenceEqual(ValidateBuckets(buckets));

    private protected override Histogram CreateSeries() => new(upperBounds);

    private protected override void WriteSeries(TextWriter writer, IReadOnlyList<string> labelValues, Histogram series)
    {
        var snapshot = series.Snapshot();
        var bucketName = Name + "_bucket";
        for (var i = 0; i < snapshot.CumulativeCounts.Length; i++)
        {
            PrometheusText.WriteSample(writer, bucketName, LabelNames, labelValues, "le", boundLabels[i], snapshot.CumulativeCounts[i]);
        }

        PrometheusText.WriteSample(writer, Name + "_sum", LabelNames, labelValues, null, null, snapshot.Sum);
        PrometheusText.WriteSample(writer, Name + "_count", LabelNames, labelValues, null, null, snapshot.Count);
    }
}
