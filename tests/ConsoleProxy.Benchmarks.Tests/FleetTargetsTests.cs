using ConsoleProxy.Benchmarks.Report;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// Issue 19's targets table: the ratio to the reference in the same run decides "met", both ways round, for consoleproxy
/// and for the Kestrel WebSocket floor; haproxy is held against direct TCP only.
/// </summary>
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

        var rows = Rows(table);
        Assert.Contains("| server-to-client, 1 connection (MiB/s) | 1800 | 2000 (haproxy splice relay) | 0.90x | — | — | — | >= 1.0x haproxy | **no** | — |", rows);
        Assert.Contains("| 64-byte round trip p50 (us) | 38.0 | 25.0 (direct TCP) | 1.52x | — | — | — | <= 1.6x direct TCP | yes | — |", rows);
        Assert.Contains("| memory per idle session (PSS) (KiB) | 20.8 | — | — | — | — | — | <= 16 KiB | **no** | — |", rows);
    }

    [Fact]
    public void The_floor_is_held_against_the_same_bound_and_haproxy_against_direct_tcp()
    {
        var rate = new Figure("new sessions", "per s", true, "0");
        rate.Add(MarkdownTable.Proxy, 3000);
        rate.Add(MarkdownTable.KestrelFloor, 4000);
        rate.Add(MarkdownTable.SpliceRelay, 10000);
        var roundTrip = new Figure("64-byte round trip p50", "us", false, "0.0");
        roundTrip.Add(MarkdownTable.Proxy, 90);
        roundTrip.Add(MarkdownTable.KestrelFloor, 45);
        roundTrip.Add(MarkdownTable.SpliceRelay, 84);
        roundTrip.Add(MarkdownTable.Direct, 30);
        var perIdle = new Figure("memory per idle session (PSS)", "KiB", false, "0.0");
        perIdle.Add(MarkdownTable.Proxy, 25.4);
        perIdle.Add(MarkdownTable.KestrelFloor, 15.5);

        var table = FleetTargets.Render(
        [
            new(rate, MarkdownTable.SpliceRelay, 0.5, true, ">= 0.5x haproxy"),
            new(roundTrip, MarkdownTable.Direct, 1.6, false, "<= 1.6x direct TCP"),
            new(perIdle, null, 16, false, "<= 16 KiB"),
        ]);

        var rows = Rows(table);
        Assert.Equal("| Figure | consoleproxy | reference | consoleproxy / reference | Kestrel WebSocket floor | floor / reference | haproxy / reference | Target (issue 19) | Met | Met by the floor |", rows[0]);
        Assert.Contains("| new sessions (per s) | 3000 | 10000 (haproxy splice relay) | 0.30x | 4000 | 0.40x | — | >= 0.5x haproxy | **no** | **no** |", rows);
        Assert.Contains("| 64-byte round trip p50 (us) | 90.0 | 30.0 (direct TCP) | 3.00x | 45.0 | 1.50x | 2.80x | <= 1.6x direct TCP | **no** | yes |", rows);
        Assert.Contains("| memory per idle session (PSS) (KiB) | 25.4 | — | — | 15.5 | — | — | <= 16 KiB | **no** | yes |", rows);
    }

    private static List<string> Rows(string table) => [.. table.Split('\n').Select(line => line.TrimEnd('\r'))];
}
