namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// A named metric with its HELP text, its type and the names of its labels: everything a scrape
/// shows once, before the samples of its series.
/// </summary>
public abstract class MetricFamily
{
    private readonly string[] labelNames;

    private protected MetricFamily(string name, string help, MetricType type, string[] labelNames)
    {
        MetricNames.ValidateMetricName(name);
        MetricNames.ValidateLabelNames(labelNames, type == MetricType.Histogram);
        Name = name;
        Help = help;
        Type = type;
        this.labelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricType Type { get; }

    public IReadOnlyList<string> LabelNames => labelNames;

    /// <summary>Whether the family has at least one series; families without any are not exposed.</summary>
    internal abstract bool HasSeries { get; }

    /// <summary>Writes the sample lines of every series, in a stable order.</summary>
    internal abstract void WriteSamples(TextWriter writer);

    internal bool HasSameShape(MetricType type, IReadOnlyList<string> otherLabelNames) =>
        Type == type && labelNames.SequenceEqual(otherLabelNames, StringComparer.Ordinal);
}
