using System.Runtime.CompilerServices;
using Prometheus;

namespace ConsoleProxy.Metrics;

/// <summary>A histogram with one enum label, every member's series there from the start (as <see cref="LabeledCounter{TLabel}"/>).</summary>
public sealed class LabeledHistogram<TLabel>
    where TLabel : struct, Enum
{
    private readonly Histogram.Child[] _series;

    public LabeledHistogram(IMetricFactory factory, string name, string help, string labelName, IReadOnlyList<double> buckets)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var histogram = factory.CreateHistogram(name, help, [labelName], new HistogramConfiguration { Buckets = [.. buckets] });
        _series = [.. LabelValue.Of<TLabel>().Select(value => histogram.WithLabels(value))];
    }

    public void Observe(TLabel label, TimeSpan duration) => _series[Index(label)].Observe(duration.TotalSeconds);

    public long Count(TLabel label) => _series[Index(label)].Count;

    private static int Index(TLabel label) => Unsafe.As<TLabel, int>(ref label);
}
