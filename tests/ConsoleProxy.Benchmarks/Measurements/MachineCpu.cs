using System.Globalization;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// The whole machine's CPU time from /proc/stat: every process plus the kernel's own interrupt
/// and softirq work (where loopback TCP delivers most packets, charged to no process). Relay,
/// load generator and kernel all share the same cores, so a throughput figure means little
/// without knowing whether the machine had any CPU left and how much each GiB cost in total.
/// </summary>
public readonly record struct MachineCpu(long BusyTicks, long IdleTicks, long StolenTicks)
{
    private const double ClockTicksPerSecond = 100;

    public static MachineCpu Read() =>
        Parse(File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal)));

    /// <summary>
    /// Reads the all-CPU line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal
    /// guest guest_nice" (guest time is already inside user and nice, so it is not added again).
    /// </summary>
    public static MachineCpu Parse(string line)
    {
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6];
        return new MachineCpu(busy, ticks[3] + ticks[4], ticks[7]);
    }

    /// <summary>CPU seconds spent (by anything) between <paramref name="before"/> and this reading.</summary>
    public double BusySecondsSince(MachineCpu before) => (BusyTicks - before.BusyTicks) / ClockTicksPerSecond;

    /// <summary>The share of the CPU time available between the readings that was used (0..1); time the hypervisor stole was not available.</summary>
    public double BusyFractionSince(MachineCpu before)
    {
        var busy = BusyTicks - before.BusyTicks;
        var available = busy + (IdleTicks - before.IdleTicks);
        return available > 0 ? (double)busy / available : 0;
    }

    /// <summary>The share of all CPU time the hypervisor gave to other guests between the readings.</summary>
    public double StolenFractionSince(MachineCpu before)
    {
        var stolen = StolenTicks - before.StolenTicks;
        var all = stolen + (BusyTicks - before.BusyTicks) + (IdleTicks - before.IdleTicks);
        return all > 0 ? (double)stolen / all : 0;
    }
}
