using System.Buffers;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// Validation of metric and label names against the Prometheus data model, so a typo fails at
/// registration instead of producing an exposition the scraper rejects as a whole.
/// </summary>
internal static class MetricNames
{
    private static readonly SearchValues<char> NameStart =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:");

    private static readonly SearchValues<char> NameRest =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:0123456789");

    private static readonly SearchValues<char> LabelStart =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");

    private static readonly SearchValues<char> LabelRest =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");

    public static void ValidateMetricName(string name)
    {
        if (string.IsNullOrEmpty(name) || !NameStart.Contains(name[0]) || name.AsSpan(1).ContainsAnyExcept(NameRest))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).", nameof(name));
        }
    }

    public static void ValidateLabelNames(IReadOnlyList<string> labelNames, bool histogram)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labelNames)
        {
            if (string.IsNullOrEmpty(label) || !LabelStart.Contains(label[0]) || label.AsSpan(1).ContainsAnyExcept(LabelRest))
            {
                throw new ArgumentException($"'{label}' is not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*).", nameof(labelNames));
            }

            // Names starting with "__" are reserved for Prometheus' own use.
            if (label.StartsWith("__", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Label name '{label}' is reserved (starts with '__').", nameof(labelNames));
            }

            if (histogram && label == "le")
            {
                throw new ArgumentException("A histogram cannot have a label named 'le': it carries the bucket bound.", nameof(labelNames));
            }

            if (!seen.Add(label))
            {
                throw new ArgumentException($"Label name '{label}' is given twice.", nameof(labelNames));
            }
        }
    }
}
