namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// One throughput measurement: the rate, what each GiB cost the relay's processes (null without a
/// relay process), the load generator (this process: the client's and the target's threads) and the
/// whole machine (relay, load generator and the kernel's work charged to no process), and how busy
/// the machine was: near 1, the figure is bounded by CPU, and only a cheaper relay can raise it.
/// </summary>
public sealed record ThroughputSample(
    double BytesPerSecond,
    double? RelayCpuSecondsPerGiB,
    double GeneratorCpuSecondsPerGiB,
    double MachineCpuSecondsPerGiB,
    double MachineBusyFraction);
