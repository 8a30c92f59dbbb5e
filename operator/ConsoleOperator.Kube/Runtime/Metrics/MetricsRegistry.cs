using System.Collections.Concurrent;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// The set of metric families a process exposes. Registering a name twice with the same shape
/// returns the existing family (so independent components can share one, e.g. every work queue
/// shares <c>workqueue_depth</c>); a different type, label set or bucket layout is an error.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, MetricFamily> families = new(StringComparer.Ordinal);

    public CounterFamily Counter(string name, string help, params string[] labelNames) =>
        GetOrAdd(name, MetricType.Counter, labelNames, () => new CounterFamily(name, help, [.. labelNames]));

    public GaugeFamily Gauge(string name, string help, params string[] labelNames) =>
        GetOrAdd(name, MetricType.Gauge, labelNames, () => new GaugeFamily(name, help, [.. labelNames]));

    public HistogramFamily Histogram(string name, string help, IReadOnlyList<double> buckets, params string[] labelNames)
    {
        var bounds = HistogramFamily.ValidateBuckets(buckets);
        var family = GetOrAdd(name, MetricType.Histogram, labelNames, () => new HistogramFamily(name, help, bounds, [.. labelNames]));
        if (!family.HasSameBuckets(bounds))
        {
            throw new InvalidOperationException($"Histogram '{name}' is already registered with other buckets.");
        }

        return family;
    }

    /// <summary>The families that have at least one series, ordered by name.</summary>
    public IReadOnlyList<MetricFamily> Families()
    {
        var exposed = families.Values.Where(family => family.HasSeries).ToArray();
        Array.Sort(exposed, (left, right) => string.CompareOrdinal(left.Name, right.Name));
        return exposed;
    }

    private TFamily GetOrAdd<TFamily>(string name, MetricType type, string[] labelNames, Func<TFamily> create)
        where TFamily : MetricFamily
    {
        var family = families.GetOrAdd(name, _ => create());
        if (family is not TFamily typed || !family.HasSameShape(type, labelNames))
        {
            throw new InvalidOperationException(
                $"Metric '{name}' is already registered as a {family.Type} with labels [{string.Join(", ", family.LabelNames)}].");
        }

        return typed;
    }
}
