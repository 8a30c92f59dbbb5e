namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>A gauge metric and its series, one per label-value combination.</summary>
public sealed class GaugeFamily : MetricFamily<Gauge>
{
    internal GaugeFamily(string name, string help, string[] labelNames)
        : base(name, help, MetricType.Gauge, labelNames)
    {
    }

    private protected override Gauge CreateSeries() => new();

    private protected override void WriteSeries(TextWriter writer, IReadOnlyList<string> labelValues, Gauge series) =>
        PrometheusText.WriteSample(writer, Name, LabelNames, labelValues, null, null, series.Value);
}
