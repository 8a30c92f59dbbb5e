using System.Globalization;
using System.Text;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// What a throughput target asks of the whole machine. Throughput is, by definition, the machine's
/// busy share times its cores divided by the CPU seconds everything spends per GiB (relay, load
/// generator and the kernel's loopback work). So "k times websockify" needs consoleproxy's
/// whole-machine cost per GiB to be at most websockify's cost / (k * websockify's busy share), even
/// if consoleproxy used every cycle. Set beside what each system spent in the same run, this says
/// whether a target is within reach of any relay on this machine, not just of ours.
/// </summary>
public static class CpuBudget
{
    public static string Render(IEnumerable<ThroughputFigures> targets)
    {
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"| Target | {MarkdownTable.Websockify} (MiB/s) | needed (MiB/s) | whole-machine CPU budget at 100% busy (s per GiB) | {MarkdownTable.Direct}: one connection, no relay | {MarkdownTable.TcpRelay} | {MarkdownTable.SpliceRelay} | {MarkdownTable.Proxy} |");
        output.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var target in targets)
        {
            var (rate, multiple, machineCpu, busy) = (target.Rate, target.WebsockifyMultiple, target.MachineCpu, target.MachineBusy);
            var websockifyRate = rate.Median(MarkdownTable.Websockify);
            var websockifyCpu = machineCpu.Median(MarkdownTable.Websockify);
            var websockifyBusy = busy.Median(MarkdownTable.Websockify) / 100;
            if (websockifyRate is not { } wsRate || websockifyCpu is not { } wsCpu || websockifyBusy is not { } wsBusy || wsBusy <= 0)
            {
                continue;
            }

            var budget = wsCpu / (multiple * wsBusy);
            string Cost(string system) => machineCpu.Median(system) is { } cost
                ? cost.ToString("0.00", CultureInfo.InvariantCulture) + (cost <= budget ? " (within)" : " (over)")
                : "—";
            var name = $"{rate.Name}: >= {multiple.ToString(CultureInfo.InvariantCulture)}x {MarkdownTable.Websockify}";
            output.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {wsRate:0} | {multiple * wsRate:0} | {budget:0.00} | {Cost(MarkdownTable.Direct)} | {Cost(MarkdownTable.TcpRelay)} | {Cost(MarkdownTable.SpliceRelay)} | {Cost(MarkdownTable.Proxy)} |");
        }

        return output.ToString();
    }
}
