using ConsoleProxy.Benchmarks.Report;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>Issue 19's targets table: the ratio to the reference in the same run decides "met", both ways round.</summary>
public sealed class FleetTargetsTests
{
    [Fact]
    public void A_ratio_target_compares_consoleproxys_median_with_the_references_and_an_absolute_one_with_the_bound()
    {
        var throughput = new Figure("server-to-client, 1 connection", "MiB/s", true, "0");
        throughput.Add(MarkdownTable.Proxy, 1800);
        throughput.Add(MarkdownTable.SpliceRelay, 2000);
        var roundTrip = new Figure("64-byte round trip p50", "us", false, "0.0");
        roundTrip.Add(MarkdownTable.Proxy, 38);
        roundTrip.Add(MarkdownTable.Direct, 25);
        var perIdle = new Figure("memory per idle session (PSS)", "KiB", false, "0.0");
        perIdle.Add(MarkdownTable.Proxy, 20.8);

        var table = FleetTargets.Render(
        [
            new(throughput, MarkdownTable.SpliceRelay, 1.0, true, ">= 1.0x haproxy"),
            new(roundTrip, MarkdownTable.Direct, 1.6, false, "<= 1.6x direct TCP"),
            new(perIdle, null, 16, false, "<= 16 KiB"),
        ]);

        var rows = table.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        Assert.Contains("| server-to-client, 1 connection (MiB/s) | 1800 | 2000 (haproxy splice relay) | 0.90x | >= 1.0x haproxy | **no** |", rows);
        Assert.Contains("| 64-byte round trip p50 (us) | 38.0 | 25.0 (direct TCP) | 1.52x | <= 1.6x direct TCP | yes |", rows);
        Assert.Contains("| memory per idle session (PSS) (KiB) | 20.8 | — | — | <= 16 KiB | **no** |", rows);
    }
}
