using System.Globalization;
using System.Text;

namespace ConsoleOperator.Benchmarks.RealApiServer;

/// <summary>The figures of one mint run through a real API server, printed as a Markdown table.</summary>
public sealed record RealServerMintReport(
    int Count,
    int Active,
    long RedisKeys,
    TimeSpan Elapsed,
    TimeSpan LatencyP50,
    TimeSpan LatencyP99,
    long ResidentBytes,
    long PeakResidentBytes)
{
    public double TokensPerSecond => Active / Elapsed.TotalSeconds;

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| tokens | active | redis keys | elapsed | tokens/s | create→Active p50 | p99 | operator resident set (peak) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(string.Create(c,
            $"| {Count} | {Active} | {RedisKeys} | {Elapsed.TotalSeconds:F1} s | {TokensPerSecond:F0} | {LatencyP50.TotalMilliseconds:F0} ms | {LatencyP99.TotalMilliseconds:F0} ms | {Mib(ResidentBytes)} ({Mib(PeakResidentBytes)}) |"));
        text.AppendLine();
        text.AppendLine("A real kube-apiserver v1.28 + etcd and a real redis-server on this machine; `console-operator run` is its own");
        text.AppendLine("process (its memory is the operator's alone), and the API server, etcd and the load generator share the 2 vCPUs.");
        return text.ToString();
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F0} MiB");
}
