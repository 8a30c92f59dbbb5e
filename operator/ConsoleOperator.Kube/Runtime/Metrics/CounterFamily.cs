namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>A counter metric and its series, one per label-value combination.</summary>
public sealed class CounterFamily : MetricFamily<Counter>
{
    internal CounterFamily(string name, string help, string[] labelNames)
        : base(name, help, MetricType.Counter, labelNames)
    {
    }

    private protected override Counter CreateSeries() => new();

    private protected override void WriteSeries(TextWriter writer, IReadOnlyList<string> labelValues, Counter series) =>
        PrometheusText.WriteSample(writer, Name, LabelNames, labelValues, null, null, series.Value);
}
