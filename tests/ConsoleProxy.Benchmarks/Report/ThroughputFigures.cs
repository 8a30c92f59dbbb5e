using System.Globalization;
using ConsoleProxy.Benchmarks.Measurements;

namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// The rows one throughput measurement fills: the rate, with the target as a multiple of
/// websockify's rate in the same run, and where its CPU went (the relay, the load generator, the whole
/// machine, and how busy the machine was). On 2 cores these share the machine, so a saturated machine
/// caps every relay at cores / whole-machine CPU per GiB (see <see cref="CpuBudget"/>).
/// </summary>
public sealed class ThroughputFigures
{
    private const double MiB = 1024 * 1024;

    public ThroughputFigures(string name, double websockifyMultiple)
    {
        WebsockifyMultiple = websockifyMultiple;
        var multiple = websockifyMultiple.ToString(CultureInfo.InvariantCulture);
        Rate = new Figure(name, "MiB/s", true, "0")
        {
            Target = ($">= {multiple}x websockify", f => f.Median(MarkdownTable.Proxy) >= websockifyMultiple * f.Median(MarkdownTable.Websockify)),
        };
        RelayCpu = new Figure($"relay CPU, {name}", "CPU s per GiB", false, "0.00");
        GeneratorCpu = new Figure($"load generator CPU, {name}", "CPU s per GiB, client and target threads", false, "0.00");
        MachineCpu = new Figure($"machine CPU, {name}", "CPU s per GiB, all processes and the kernel", false, "0.00");
        MachineBusy = new Figure($"machine busy, {name}", "% of the CPU time not stolen", true, "0");
    }

    /// <summary>What consoleproxy must reach, as a multiple of websockify's rate.</summary>
    public double WebsockifyMultiple { get; }

    public Figure Rate { get; }

    public Figure RelayCpu { get; }

    public Figure GeneratorCpu { get; }

    public Figure MachineCpu { get; }

    public Figure MachineBusy { get; }

    public IEnumerable<Figure> CpuFigures => [RelayCpu, GeneratorCpu, MachineCpu, MachineBusy];

    /// <summary>What wss is compared with ws on: the rate and what each GiB cost the relay, the load generator and the machine.</summary>
    public IEnumerable<Figure> TlsFigures => [Rate, RelayCpu, GeneratorCpu, MachineCpu];

    public void Add(string system, ThroughputSample sample)
    {
        Rate.Add(system, sample.BytesPerSecond / MiB);
        if (sample.RelayCpuSecondsPerGiB is { } relaySeconds)
        {
            RelayCpu.Add(system, relaySeconds);
        }

        GeneratorCpu.Add(system, sample.GeneratorCpuSecondsPerGiB);
        MachineCpu.Add(system, sample.MachineCpuSecondsPerGiB);
        MachineBusy.Add(system, sample.MachineBusyFraction * 100);
    }
}
