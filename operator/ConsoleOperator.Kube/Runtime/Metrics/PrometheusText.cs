using System.Globalization;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// The lexical rules of the Prometheus text exposition format 0.0.4: how values, label values and
/// help texts are spelled, and how one sample line is laid out.
/// </summary>
public static class PrometheusText
{
    /// <summary>The content type a scraper expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// Formats a sample value or bucket bound: shortest round-trip form, invariant culture, and the
    /// spellings Prometheus parses for the special values (Go's strconv would also accept "Inf").
    /// </summary>
    public static string FormatValue(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        // "R" keeps every bit; lower-case the exponent to read like the Go client ("1e-08").
        return value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Escapes a HELP text: only backslash and line feed (quotes stay as they are).</summary>
    public static string EscapeHelp(string help)
    {
        if (help.AsSpan().IndexOfAny('\\', '\n') < 0)
        {
            return help;
        }

        return help.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    internal static void WriteSample(
        TextWriter writer,
        string name,
        IReadOnlyList<string> labelNames,
        IReadOnlyList<string> labelValues,
        string? extraLabelName,
        string? extraLabelValue,
        double value)
    {
        writer.Write(name);
        if (labelNames.Count > 0 || extraLabelName is not null)
        {
            writer.Write('{');
            var first = true;
            for (var i = 0; i < labelNames.Count; i++)
            {
                WriteLabel(writer, ref first, labelNames[i], labelValues[i]);
            }

            if (extraLabelName is not null)
            {
                WriteLabel(writer, ref first, extraLabelName, extraLabelValue ?? string.Empty);
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(FormatValue(value));
        writer.Write('\n');
    }

    private static void WriteLabel(TextWriter writer, ref bool first, string name, string value)
    {
        if (!first)
        {
            writer.Write(',');
        }

        first = false;
        writer.Write(name);
        writer.Write("=\"");
        writer.Write(EscapeLabelValue(value));
        writer.Write('"');
    }
}
