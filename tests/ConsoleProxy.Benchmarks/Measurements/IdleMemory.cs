using System.Diagnostics;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// Memory per idle session: a fresh relay process, warmed with a few sessions, is measured (PSS of
/// its process tree), then holds up to N idle sessions (each confirmed by the target's greeting
/// arriving through it) and is measured again. A relay that fails before N is measured with what
/// it held when it failed. Then, still holding them, the relay's CPU over a window, after a window of the same length
/// unmeasured: what idle sessions cost while nobody types or looks (pings, timers, publishing them to the store).
/// </summary>
public static class IdleMemory
{
    private const int Parallelism = 32;
    private const int WarmUpSessions = 32;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>Measures; CPU is the share of one CPU the relay used over the window, per 1,000 sessions held.</summary>
    public static async Task<(int Held, double BytesPerSession, double CpuPercentPerThousand, string? Failure)> MeasureAsync(ISystemUnderTest system, int sessions, TimeSpan limit, TimeSpan cpuWindow)
    {
        var pid = system.ProcessId ?? throw new ArgumentException("idle memory needs a relay process", nameof(system));
        for (var i = 0; i < WarmUpSessions; i++)
        {
            using var warm = await OpenAsync(system);
            warm.Abort();
        }

        await Task.Delay(Settle);
        var baseline = ProcessMemory.PssBytesOfTree(pid);

        var held = new IBenchConnection?[sessions];
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
                    held[index] = await OpenAsync(system);
                }
                catch (Exception e) when (Throughput.IsConnectionEnd(e) || e is InvalidOperationException)
                {
                    Interlocked.CompareExchange(ref failure, $"{e.GetType().Name}: {e.Message}", null);
                }
            }
        }));
        await Task.WhenAll(openers);
        if (failure is null && clock.Elapsed >= limit && held.Any(connection => connection is null))
        {
            failure = $"stopped after {limit.TotalSeconds:0} s";
        }

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
        foreach (var connection in held)
        {
            connection?.Abort();
            connection?.Dispose();
        }

        return (count, count == 0 ? double.NaN : (loaded - baseline) / (double)count, count == 0 ? double.NaN : cpuPercent * 1000 / count, failure);
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
