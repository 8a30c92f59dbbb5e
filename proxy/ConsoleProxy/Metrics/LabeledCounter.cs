using System.Runtime.CompilerServices;
using Prometheus;

namespace ConsoleProxy.Metrics;

/// <summary>
/// A counter with one label whose values are the members of an enum (fixed at compile time, so a hostile client can
/// never grow the label set). Every member's series exists from the start (a series that appears only after its
/// first event breaks rate()), and is found by index rather than by a label lookup on the hot path.
/// </summary>
public sealed class LabeledCounter<TLabel>
    where TLabel : struct, Enum
{
    private readonly Counter.Child[] _series;

    public LabeledCounter(IMetricFactory factory, string name, string help, string labelName)
    {
        ArgumentNullException.ThrowIfNull(factory);
        LabelValues = LabelValue.Of<TLabel>();
        var counter = factory.CreateCounter(name, help, [labelName]);
        _series = [.. LabelValues.Select(value => counter.WithLabels(value))];
    }

    /// <summary>The exported label values, in member order.</summary>
    public IReadOnlyList<string> LabelValues { get; }

    public void Increment(TLabel label) => _series[Index(label)].Inc();

    public long Get(TLabel label) => (long)_series[Index(label)].Value;

    private static int Index(TLabel label) => Unsafe.As<TLabel, int>(ref label);
}
