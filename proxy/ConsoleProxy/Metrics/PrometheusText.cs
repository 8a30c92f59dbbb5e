using System.Globalization;
using System.Text;

namespace ConsoleProxy.Metrics;

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: `# HELP`, `# TYPE`, then one sample per
/// line. Only what this exporter needs: label values are our own fixed strings, but are escaped
/// anyway so the format stays valid whatever a future label holds.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Header(StringBuilder output, string name, string help, string type)
    {
        output.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    public static void Sample(StringBuilder output, string name, long value) =>
        output.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    public static void Sample(StringBuilder output, string name, string labelName, string labelValue, long value)
    {
        output.Append(name).Append('{').Append(labelName).Append("=\"");
        foreach (var c in labelValue)
        {
            _ = c switch
            {
                '\\' => output.Append("\\\\"),
                '"' => output.Append("\\\""),
                '\n' => output.Append("\\n"),
                _ => output.Append(c),
            };
        }

        output.Append("\"} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>`MaxDuration` becomes `max_duration`: label values in the style Prometheus users expect.</summary>
    public static string SnakeCase(string pascalCase)
    {
        var output = new StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (char.IsUpper(c) && i > 0)
            {
                output.Append('_');
            }

            output.Append(char.ToLowerInvariant(c));
        }

        return output.ToString();
    }
}
