using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// New sessions per second of today's consoleproxy beside a baseline build (an older git revision, e.g. the last one on
/// StackExchange.Redis 1.2.6), measured in the same run and interleaved, so the ratio is about the builds and not about
/// what else the machine was doing. Only ratios within one run mean anything on a shared machine.
/// </summary>
public sealed class BaselineComparison(string baselineLabel)
{
    private readonly List<(double Baseline, double Current, bool BaselineFirst)> _runs = [];

    // Relay CPU per new session (ms) of each build, where measured: under load from elsewhere on the machine it moves
    // far less than the rate does.
    private readonly List<(double Baseline, double Current)> _cpu = [];

    public string BaselineLabel { get; } = baselineLabel;

    public void Add(double baseline, double current, bool baselineFirst) => _runs.Add((baseline, current, baselineFirst));

    public void AddCpu(double baselineMilliseconds, double currentMilliseconds) => _cpu.Add((baselineMilliseconds, currentMilliseconds));

    /// <summary>Today's median over the baseline's median: above 1, today's build opens sessions faster.</summary>
    public double? RatioOfMedians =>
        _runs.Count == 0 ? null : Median(_runs.Select(r => r.Current)) / Median(_runs.Select(r => r.Baseline));

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"New sessions per second, this build against the baseline {BaselineLabel} (same run, interleaved, order flipped every run):");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| run | baseline {BaselineLabel} | this build | this / baseline |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        for (var i = 0; i < _runs.Count; i++)
        {
            var (baseline, current, baselineFirst) = _runs[i];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} ({(baselineFirst ? "baseline first" : "this first")}) | {baseline:0} | {current:0} | {current / baseline:0.00} |");
        }

        if (RatioOfMedians is { } ratio)
        {
            var geometric = Math.Exp(_runs.Average(r => Math.Log(r.Current / r.Baseline)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| median | {Median(_runs.Select(r => r.Baseline)):0} | {Median(_runs.Select(r => r.Current)):0} | **{ratio:0.00}** (geometric mean of the runs' ratios {geometric:0.00}) |");
        }

        if (_cpu.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Relay CPU per new session (ms), same runs: baseline {string.Join(", ", _cpu.Select(c => c.Baseline.ToString("0.000", CultureInfo.InvariantCulture)))}; this build {string.Join(", ", _cpu.Select(c => c.Current.ToString("0.000", CultureInfo.InvariantCulture)))}; medians {Median(_cpu.Select(c => c.Baseline)):0.000} and {Median(_cpu.Select(c => c.Current)):0.000}, this / baseline **{Median(_cpu.Select(c => c.Current)) / Median(_cpu.Select(c => c.Baseline)):0.00}**");
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
