using System.Globalization;
using System.Text;
using ConsoleProxy.Benchmarks.Systems;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>consoleproxy with plain targets beside the same proxy with `--target-tls`, and the ratio: what TLS costs.</summary>
public static class TargetTlsTable
{
    public static string Render(IReadOnlyList<Figure> figures)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {MarkdownTable.Proxy} | {ConsoleProxySystem.TargetTlsName} | TLS / plain |");
        output.AppendLine("|---|---:|---:|---:|");
        foreach (var figure in figures)
        {
            var plain = figure.Median(MarkdownTable.Proxy);
            var tls = figure.Median(ConsoleProxySystem.TargetTlsName);
            var ratio = plain is { } p && tls is { } t && p != 0 ? (t / p).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";
            output.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} ({figure.Unit}) | {Format(figure, plain)} | {Format(figure, tls)} | {ratio} |");
        }

        return output.ToString();
    }

    private static string Format(Figure figure, double? value) =>
        value is { } v ? v.ToString(figure.Format, CultureInfo.InvariantCulture) : "—";
}
