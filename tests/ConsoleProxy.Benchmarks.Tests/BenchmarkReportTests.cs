using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Report;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// The arithmetic behind `make bench`'s CPU tables: a wrong sum here would make the README's claim
/// of "beyond any relay on this machine" wrong without anyone noticing.
/// </summary>
public sealed class BenchmarkReportTests
{
    [Fact]
    public void Machine_cpu_counts_user_nice_system_irq_and_softirq_as_busy_and_keeps_steal_apart()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var reading = MachineCpu.Parse("cpu  100 10 50 800 20 3 30 5 7 0");

        Assert.Equal(100 + 10 + 50 + 3 + 30, reading.BusyTicks);
        Assert.Equal(800 + 20, reading.IdleTicks);
        Assert.Equal(5, reading.StolenTicks);
    }

    [Fact]
    public void Busy_share_is_of_the_time_not_stolen_and_busy_seconds_are_ticks_over_100()
    {
        var before = new MachineCpu(BusyTicks: 1_000, IdleTicks: 5_000, StolenTicks: 10);
        var after = new MachineCpu(BusyTicks: 1_300, IdleTicks: 5_100, StolenTicks: 110);

        Assert.Equal(3.0, after.BusySecondsSince(before), 9);
        Assert.Equal(300.0 / 400, after.BusyFractionSince(before), 9);
        Assert.Equal(100.0 / 500, after.StolenFractionSince(before), 9);
    }

    [Fact]
    public void The_budget_is_websockifys_cost_over_the_multiple_times_websockifys_busy_share()
    {
        var target = new ThroughputFigures("server-to-client, 1 connection", 2);
        target.Rate.Add(MarkdownTable.Websockify, 1_000);
        target.MachineCpu.Add(MarkdownTable.Websockify, 1.2);
        target.MachineBusy.Add(MarkdownTable.Websockify, 60);
        target.MachineCpu.Add(MarkdownTable.Direct, 0.4);
        target.MachineCpu.Add(MarkdownTable.SpliceRelay, 1.01);
        target.MachineCpu.Add(MarkdownTable.Proxy, 0.95);

        var table = CpuBudget.Render([target]);

        // 2x websockify at 100% busy: 1.2 / (2 * 0.6) = 1.00 s per GiB for everything on the machine.
        var row = Assert.Single(table.Split('\n'), line => line.StartsWith("| server-to-client", StringComparison.Ordinal));
        Assert.Equal(
            "| server-to-client, 1 connection: >= 2x websockify | 1000 | 2000 | 1.00 | 0.40 (within) | — | 1.01 (over) | 0.95 (within) |",
            row.TrimEnd('\r'));
    }

    [Fact]
    public void A_target_without_websockify_measurements_gets_no_row()
    {
        var target = new ThroughputFigures("client-to-server, 8 connections", 5);
        target.Rate.Add(MarkdownTable.Proxy, 2_000);
        target.MachineCpu.Add(MarkdownTable.Proxy, 0.9);

        var table = CpuBudget.Render([target]);

        Assert.DoesNotContain("client-to-server", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Medians_take_the_middle_run_or_the_mean_of_the_middle_two()
    {
        var figure = new Figure("round trip", "us", false, "0.0");
        foreach (var value in new[] { 70.0, 50.0, 60.0 })
        {
            figure.Add(MarkdownTable.Proxy, value);
        }

        figure.Add(MarkdownTable.Direct, 20);
        figure.Add(MarkdownTable.Direct, 30);

        Assert.Equal(60.0, figure.Median(MarkdownTable.Proxy));
        Assert.Equal(25.0, figure.Median(MarkdownTable.Direct));
        Assert.Null(figure.Median(MarkdownTable.Websockify));
    }
}
