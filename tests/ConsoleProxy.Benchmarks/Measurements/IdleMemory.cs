using System.Diagnostics;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// Memory per idle session: a fresh relay process, warmed by opening and closing an eighth of the sessions the way the
/// measure opens them, is measured (PSS of its process tree), then holds up to N idle sessions (each confirmed by the
/// target's greeting arriving through it) and is measured again. A relay that fails before N is measured with what it
/// held when it failed. Then, still holding them, the relay's CPU over a window, after a window of the same length
/// unmeasured: what idle sessions cost while nobody types or looks (pings, timers, publishing them to the store).
/// </summary>
/// <remarks>
/// The warm-up is what makes the figure per session. Until session 16 it was 32 sessions opened one at a time, and the
/// one-off costs of a fresh process counted as if each session brought an 8,000th of them: the tiered JIT compiling the
/// session path again (its code and data), and the thread pool and buffer pools growing to 32 sessions opening at once.
/// Measured in one build on 2026-12-08: consoleproxy 18.1 KiB with that warm-up, 16.9 with 1,000 sessions one at a
/// time, 15.0 with 1,000 opened 32 at a time (this one); the Kestrel floor 15.4, 13.0 and 12.1. A proxy serves for days;
/// those costs are its first minute's. What remains is still an average over N, not the slope: about 34 MB more grows
/// while any N sessions open (consoleproxy: 19.6 KiB a session at N = 4,000, 15.0 at 8,000, 14.2 at 9,893).
/// </remarks>
public static class IdleMemory
{
    private const int Parallelism = 32;
    private const int WarmUpShare = 8;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>Measures; CPU is the share of one CPU the relay used over the window, per 1,000 sessions held.</summary>
    public static async Task<(int Held, double BytesPerSession, double CpuPercentPerThousand, string? Failure)> MeasureAsync(ISystemUnderTest system, int sessions, TimeSpan limit, TimeSpan cpuWindow)
    {
        var pid = system.ProcessId ?? throw new ArgumentException("idle memory needs a relay process", nameof(system));
        var (warm, warmFailure) = await OpenManyAsync(system, Math.Max(Parallelism, sessions / WarmUpShare), limit);
        Close(warm);
        if (warmFailure is not null)
        {
            return (0, double.NaN, double.NaN, $"the warm-up failed: {warmFailure}");
        }

        await Task.Delay(Settle);
        var baseline = ProcessMemory.PssBytesOfTree(pid);

        var (held, failure) = await OpenManyAsync(system, sessions, limit);
        await Task.Delay(Settle);
        var count = held.Count(connection => connection is not null);
        var loaded = ProcessMemory.PssBytesOfTree(pid);
        // The window starts one window later: right after the sessions opened, half of an idle consoleproxy's CPU was the
        // runtime's tiered JIT compiling what they had just run (perf, session 15), a fresh process's cost, not an idle one's.
        await Task.Delay(cpuWindow);
        var cpuBefore = ProcessMemory.CpuSecondsOfTree(pid);
        var window = Stopwatch.StartNew();
        await Task.Delay(cpuWindow);
        var cpuPercent = (ProcessMemory.CpuSecondsOfTree(pid) - cpuBefore) / window.Elapsed.TotalSeconds * 100;
        Close(held);
        return (count, count == 0 ? double.NaN : (loaded - baseline) / (double)count, count == 0 ? double.NaN : cpuPercent * 1000 / count, failure);
    }

    /// <summary>Opens up to <paramref name="sessions"/>, <see cref="Parallelism"/> at a time; stops at the first failure.</summary>
    private static async Task<(IBenchConnection?[] Opened, string? Failure)> OpenManyAsync(ISystemUnderTest system, int sessions, TimeSpan limit)
    {
        var opened = new IBenchConnection?[sessions];
        var next = -1;
        string? failure = null;
        var clock = Stopwatch.StartNew();
        var openers = Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref failure) is null && clock.Elapsed < limit)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= sessions)
                {
                    return;
                }

                try
                {
                    opened[index] = await OpenAsync(system);
                }
                catch (Exception e) when (Throughput.IsConnectionEnd(e) || e is InvalidOperationException)
                {
                    Interlocked.CompareExchange(ref failure, $"{e.GetType().Name}: {e.Message}", null);
                }
            }
        }));
        await Task.WhenAll(openers);
        if (failure is null && clock.Elapsed >= limit && opened.Any(connection => connection is null))
        {
            failure = $"stopped after {limit.TotalSeconds:0} s";
        }

        return (opened, failure);
    }

    private static void Close(IBenchConnection?[] connections)
    {
        foreach (var connection in connections)
        {
            connection?.Abort();
            connection?.Dispose();
        }
    }

    private static async Task<IBenchConnection> OpenAsync(ISystemUnderTest system)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var connection = await system.ConnectAsync(TargetMode.Greeting, timeout.Token);
        try
        {
            var greeting = new byte[12];
            var received = 0;
            while (received < greeting.Length)
            {
                var read = await connection.ReceiveAsync(greeting.AsMemory(received), timeout.Token);
                if (read == 0)
                {
                    throw new InvalidOperationException("the session closed before the greeting arrived");
                }

                received += read;
            }

            return connection;
        }
        catch
        {
            connection.Abort();
            connection.Dispose();
            throw;
        }
    }
}
