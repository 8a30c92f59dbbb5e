using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// Issue 19's targets for the single-stream figures, which replaced the multiples of websockify: each a
/// ratio of consoleproxy's median to a reference measured in the same run (haproxy's splice relay or
/// direct TCP), or an absolute. Printed beside the main table, which keeps the older targets its CPU
/// budget table is built on.
/// </summary>
public static class FleetTargets
{
    /// <summary>One target: the figure, the reference system (null for an absolute), the bound and whether higher is better.</summary>
    public sealed record Target(Figure Figure, string? Reference, double Bound, bool AtLeast, string Text);

    public static string Render(IEnumerable<Target> targets)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {MarkdownTable.Proxy} | reference | {MarkdownTable.Proxy} / reference | Target (issue 19) | Met |");
        output.AppendLine("|---|---:|---:|---:|---|---|");
        foreach (var target in targets)
        {
            var proxy = target.Figure.Median(MarkdownTable.Proxy);
            var reference = target.Reference is { } system ? target.Figure.Median(system) : null;
            double? compared = target.Reference is null ? proxy : proxy is { } p && reference is { } r && r != 0 ? p / r : null;
            var met = compared is { } c ? ((target.AtLeast ? c >= target.Bound : c <= target.Bound) ? "yes" : "**no**") : "—";
            var referenceCell = target.Reference is null ? "—" : $"{Format(target.Figure, reference)} ({target.Reference})";
            var ratio = target.Reference is null || compared is null ? "—" : compared.Value.ToString("0.00", CultureInfo.InvariantCulture) + "x";
            output.AppendLine(CultureInfo.InvariantCulture, $"| {target.Figure.Name} ({target.Figure.Unit}) | {Format(target.Figure, proxy)} | {referenceCell} | {ratio} | {target.Text} | {met} |");
        }

        return output.ToString();
    }

    private static string Format(Figure figure, double? value) =>
        value is { } v ? v.ToString(figure.Format, CultureInfo.InvariantCulture) : "—";
}
