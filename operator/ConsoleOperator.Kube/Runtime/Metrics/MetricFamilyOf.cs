using System.Collections.Concurrent;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// A metric family whose series are created on first use of a label-value combination. Callers on
/// a hot path keep the series they got from <see cref="WithLabels"/> instead of looking it up again.
/// </summary>
public abstract class MetricFamily<TSeries> : MetricFamily
    where TSeries : class
{
    private readonly ConcurrentDictionary<LabelValues, TSeries> series = new();

    private protected MetricFamily(string name, string help, MetricType type, string[] labelNames)
        : base(name, help, type, labelNames)
    {
    }

    // An unlabelled metric always exists, so it is exposed (as 0) before its first change.
    internal override bool HasSeries => LabelNames.Count == 0 || !series.IsEmpty;

    /// <summary>The series for these label values (one per label name, in order), created if new.</summary>
    public TSeries WithLabels(params string[] labelValues)
    {
        var key = Key(labelValues);
        return series.TryGetValue(key, out var existing) ? existing : series.GetOrAdd(key, _ => CreateSeries());
    }

    /// <summary>Drops a series, e.g. when the queue or controller it described is gone.</summary>
    public bool Remove(params string[] labelValues) => series.TryRemove(Key(labelValues), out _);

    private protected abstract TSeries CreateSeries();

    private protected abstract void WriteSeries(TextWriter writer, IReadOnlyList<string> labelValues, TSeries series);

    internal override void WriteSamples(TextWriter writer)
    {
        if (LabelNames.Count == 0)
        {
            WithLabels();
        }

        var ordered = series.ToArray();
        Array.Sort(ordered, (left, right) => left.Key.CompareTo(right.Key));
        foreach (var (labels, one) in ordered)
        {
            WriteSeries(writer, labels.Values, one);
        }
    }

    private LabelValues Key(string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException(
                $"Metric '{Name}' has labels [{string.Join(", ", LabelNames)}] but {labelValues.Length} values were given.",
                nameof(labelValues));
        }

        foreach (var value in labelValues)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(labelValues));
        }

        // Copy: the caller may reuse its array, and the key must never change under the dictionary.
        return new LabelValues([.. labelValues]);
    }
}
