using System.Globalization;
using System.Text;

namespace ConsoleOperator.Benchmarks;

/// <summary>The measured figures of one mint run, printed as a Markdown table.</summary>
public sealed record MintReport(
    int Count,
    int Workers,
    int Active,
    long RedisKeys,
    TimeSpan Elapsed,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    long WorkingSetBytes,
    long PeakWorkingSetBytes,
    long GcHeapBytes,
    long GcHeapBeforeBytes)
{
    public double TokensPerSecond => Active / Elapsed.TotalSeconds;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| tokens | workers | active | redis keys | elapsed | tokens/s | create→Active p50 | p99 | working set (peak) | GC heap after (before) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(string.Create(c,
            $"| {Count} | {Workers} | {Active} | {RedisKeys} | {Elapsed.TotalSeconds:F1} s | {TokensPerSecond:F0} | {LatencyP50.TotalMilliseconds:F0} ms | {LatencyP99.TotalMilliseconds:F0} ms | {Mib(WorkingSetBytes)} ({Mib(PeakWorkingSetBytes)}) | {Mib(GcHeapBytes)} ({Mib(GcHeapBeforeBytes)}) |"));
        text.AppendLine();
        text.AppendLine("One process holds the operator's controller (informers, work queue, Redis connection) and the in-process fake API");
        text.AppendLine("server with every ConsoleToken, Secret and Event it stored, so the memory figures are an upper bound for the operator.");
        return text.ToString();
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F0} MiB");
}
