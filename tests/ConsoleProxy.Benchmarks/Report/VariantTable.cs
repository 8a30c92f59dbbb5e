using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// consoleproxy beside a variant of itself measured in the same run (TLS to the targets, or wss served by the proxy),
/// and the ratio variant / plain: what the variant costs, free of whatever else the shared machine was doing.
/// </summary>
public static class VariantTable
{
    public static string Render(string variant, IReadOnlyList<Figure> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {MarkdownTable.Proxy} | {variant} | {variant} / {MarkdownTable.Proxy} |");
        output.AppendLine("|---|---:|---:|---:|");
        foreach (var figure in figures)
        {
            var plain = figure.Median(MarkdownTable.Proxy);
            var changed = figure.Median(variant);
            var ratio = plain is { } p && changed is { } c && p != 0 ? (c / p).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";
            output.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} ({figure.Unit}) | {Format(figure, plain)} | {Format(figure, changed)} | {ratio} |");
        }

        return output.ToString();
    }

    private static string Format(Figure figure, double? value) =>
        value is { } v ? v.ToString(figure.Format, CultureInfo.InvariantCulture) : "—";
}
