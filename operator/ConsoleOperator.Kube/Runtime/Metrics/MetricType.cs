namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>The metric types of the Prometheus text format that this registry can expose.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
