using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// Issue 19's targets for the single-stream figures, which replaced the multiples of websockify: each a
/// ratio of consoleproxy's median to a reference measured in the same run (haproxy's splice relay or
/// direct TCP), or an absolute. Beside consoleproxy the same comparison is made for the Kestrel WebSocket floor
/// (what the stack reaches with none of the product's work) and for haproxy against direct TCP (what the best relay
/// here reaches): a target the floor misses is out of reach for any relay on this stack, shown by the same run.
/// Printed beside the main table, which keeps the older targets its CPU budget table is built on.
/// </summary>
public static class FleetTargets
{
    /// <summary>One target: the figure, the reference system (null for an absolute), the bound and whether higher is better.</summary>
    public sealed record Target(Figure Figure, string? Reference, double Bound, bool AtLeast, string Text);

    public static string Render(IEnumerable<Target> targets)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {MarkdownTable.Proxy} | reference | {MarkdownTable.Proxy} / reference | {MarkdownTable.KestrelFloor} | floor / reference | haproxy / reference | Target (issue 19) | Met | Met by the floor |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var target in targets)
        {
            var proxy = target.Figure.Median(MarkdownTable.Proxy);
            var floor = target.Figure.Median(MarkdownTable.KestrelFloor);
            var reference = target.Reference is { } system ? target.Figure.Median(system) : null;
            var referenceCell = target.Reference is null ? "—" : $"{Format(target.Figure, reference)} ({target.Reference})";

            // haproxy against its own reference says nothing; against direct TCP it is the best a relay did here.
            var haproxy = target.Reference is null or MarkdownTable.SpliceRelay ? null : target.Figure.Median(MarkdownTable.SpliceRelay);
            output.AppendLine(CultureInfo.InvariantCulture, $"| {target.Figure.Name} ({target.Figure.Unit}) | {Format(target.Figure, proxy)} | {referenceCell} | {RatioCell(target, proxy, reference)} | {Format(target.Figure, floor)} | {RatioCell(target, floor, reference)} | {RatioCell(target, haproxy, reference)} | {target.Text} | {Met(target, proxy, reference)} | {Met(target, floor, reference)} |");
        }

        return output.ToString();
    }

    /// <summary>What is held against the bound: the ratio to the reference, or the value itself for an absolute target.</summary>
    private static double? Compared(Target target, double? value, double? reference) =>
        target.Reference is null ? value : value is { } v && reference is { } r && r != 0 ? v / r : null;

    private static string Met(Target target, double? value, double? reference) =>
        Compared(target, value, reference) is { } c ? ((target.AtLeast ? c >= target.Bound : c <= target.Bound) ? "yes" : "**no**") : "—";

    private static string RatioCell(Target target, double? value, double? reference) =>
        target.Reference is not null && Compared(target, value, reference) is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "—";

    private static string Format(Figure figure, double? value) =>
        value is { } v ? v.ToString(figure.Format, CultureInfo.InvariantCulture) : "—";
}
