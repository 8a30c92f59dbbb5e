using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>A Markdown table of <see cref="FleetRow"/>s: the systems' columns, then the ratio columns, then target and met.</summary>
public static class FleetTable
{
    public static string Render(IReadOnlyList<string> systems, IReadOnlyList<string> ratioHeaders, IEnumerable<FleetRow> rows)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Figure | {string.Join(" | ", systems)} | {string.Join(" | ", ratioHeaders)} | Target | Met |");
        output.AppendLine($"|---|{string.Concat(systems.Select(_ => "---:|"))}{string.Concat(ratioHeaders.Select(_ => "---:|"))}---|---|");
        foreach (var row in rows)
        {
            var cells = systems.Select(system => row.Cells.GetValueOrDefault(system) ?? "—");
            output.AppendLine(CultureInfo.InvariantCulture, $"| {row.Label} | {string.Join(" | ", cells)} | {string.Join(" | ", row.Ratios)} | {row.Target} | {row.Met} |");
        }

        return output.ToString();
    }

    public static string Ratio(double? value, double? reference) =>
        value is { } v && reference is { } r && r != 0 && !double.IsNaN(v) && !double.IsNaN(r)
            ? (v / r).ToString("0.00", CultureInfo.InvariantCulture) + "x"
            : "—";

    public static string Number(double? value, string format) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Where(value => !double.IsNaN(value)).Order().ToList();
        return sorted.Count == 0 ? null
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
