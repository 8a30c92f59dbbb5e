using System.Runtime.CompilerServices;
using System.Text;

namespace ConsoleProxy.Metrics;

/// <summary>
/// A counter family with one label whose values are the members of an enum (fixed at compile time,
/// so a hostile client can never grow the label set): one atomic slot per member, every member
/// exported from the start (a series that appears only after its first event breaks rate()).
/// </summary>
public sealed class LabeledCounter<TLabel>
    where TLabel : struct, Enum
{
    private readonly long[] _counts;

    public LabeledCounter(string name, string help, string labelName)
    {
        Name = name;
        Help = help;
        LabelName = labelName;
        var values = Enum.GetValues<TLabel>();
        for (var i = 0; i < values.Length; i++)
        {
            if (Convert.ToInt32(values[i], System.Globalization.CultureInfo.InvariantCulture) != i)
            {
                throw new InvalidOperationException($"{typeof(TLabel).Name} must number its members 0, 1, 2, ... to be a label");
            }
        }

        LabelValues = [.. values.Select(value => PrometheusText.SnakeCase(value.ToString()))];
        _counts = new long[values.Length];
    }

    public string Name { get; }

    public string Help { get; }

    public string LabelName { get; }

    /// <summary>The exported label values, in member order.</summary>
    public IReadOnlyList<string> LabelValues { get; }

    public void Increment(TLabel label) => Interlocked.Increment(ref _counts[Index(label)]);

    public long Get(TLabel label) => Volatile.Read(ref _counts[Index(label)]);

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.Header(output, Name, Help, "counter");
        for (var i = 0; i < _counts.Length; i++)
        {
            PrometheusText.Sample(output, Name, LabelName, LabelValues[i], Volatile.Read(ref _counts[i]));
        }
    }

    private static int Index(TLabel label) => Unsafe.As<TLabel, int>(ref label);
}
