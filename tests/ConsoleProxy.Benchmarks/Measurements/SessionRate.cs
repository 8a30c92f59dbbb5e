using System.Diagnostics;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// New sessions per second: several workers each open a session (token lookup, upgrade, dial),
/// wait for the target's first byte (the RFB greeting), and drop it; counted for a fixed time.
/// </summary>
public static class SessionRate
{
    private const int Workers = 16;

    /// <summary>Sessions per second, failures, and the relay's CPU milliseconds per session (null without a relay process).</summary>
    public static async Task<(double PerSecond, int Failures, double? CpuMillisecondsPerSession)> MeasureAsync(ISystemUnderTest system, TimeSpan duration)
    {
        var cpuBefore = system.ProcessId is { } pid ? ProcessMemory.CpuSecondsOfTree(pid) : 0;
        var completed = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            var first = new byte[1];
            while (clock.Elapsed < duration)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    using var connection = await system.ConnectAsync(TargetMode.Greeting, timeout.Token);
                    var read = await connection.ReceiveAsync(first, timeout.Token);
                    connection.Abort();
                    if (read == 1 && clock.Elapsed < duration)
                    {
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (Exception e) when (Throughput.IsConnectionEnd(e) || e is InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        await Task.WhenAll(workers);
        double? cpuPerSession = system.ProcessId is { } relay && completed > 0
            ? (ProcessMemory.CpuSecondsOfTree(relay) - cpuBefore) * 1000 / completed
            : null;
        return (completed / duration.TotalSeconds, failures, cpuPerSession);
    }
}
