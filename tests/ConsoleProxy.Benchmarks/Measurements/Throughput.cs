using System.Diagnostics;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// Bulk throughput over N connections for a fixed time after a warm-up: server-to-client counted
/// where the client reads, client-to-server counted where the target's sink reads. Every buffer
/// is allocated before the clock starts; each connection is driven by a thread of its own.
/// </summary>
public static class Throughput
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromMilliseconds(300);

    public static async Task<ThroughputSample> MeasureAsync(ISystemUnderTest system, TargetSet targets, bool serverToClient, int connections, TimeSpan duration)
    {
        var mode = serverToClient ? TargetMode.Source : TargetMode.Sink;
        var opened = new List<IBlockingBenchConnection>();
        using var stop = new CancellationTokenSource();
        var received = new long[connections];
        var loops = new List<Task<bool>>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                opened.Add(system.Connect(mode));
            }

            var payload = new byte[LoopbackTarget.ChunkSize];
            Random.Shared.NextBytes(payload);
            for (var i = 0; i < connections; i++)
            {
                var connection = opened[i];
                var slot = i;
                var token = stop.Token;
                loops.Add(serverToClient
                    ? DedicatedThread.RunAsync($"read {slot}", () => ReadLoop(connection, received, slot, token))
                    : DedicatedThread.RunAsync($"write {slot}", () => WriteLoop(connection, payload, token)));
            }

            long Count()
            {
                if (!serverToClient)
                {
                    return targets[TargetMode.Sink].Received;
                }

                var total = 0L;
                for (var i = 0; i < received.Length; i++)
                {
                    total += Volatile.Read(ref received[i]);
                }

                return total;
            }

            await Task.Delay(WarmUp);
            var cpuBefore = system.ProcessId is { } pid ? ProcessMemory.CpuSecondsOfTree(pid) : 0;
            var machineBefore = MachineCpu.Read();
            var generatorBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var before = Count();
            var clock = Stopwatch.StartNew();
            await Task.Delay(duration);
            var after = Count();
            var elapsed = clock.Elapsed;
            var machineAfter = MachineCpu.Read();
            var generator = Process.GetCurrentProcess().TotalProcessorTime - generatorBefore;
            var gibibytes = Math.Max(after - before, 1) / (1024.0 * 1024 * 1024);
            double? relayCpuPerGiB = system.ProcessId is { } relay && after > before
                ? (ProcessMemory.CpuSecondsOfTree(relay) - cpuBefore) / gibibytes
                : null;
            return new ThroughputSample(
                (after - before) / elapsed.TotalSeconds,
                relayCpuPerGiB,
                generator.TotalSeconds / gibibytes,
                machineAfter.BusySecondsSince(machineBefore) / gibibytes,
                machineAfter.BusyFractionSince(machineBefore));
        }
        finally
        {
            await stop.CancelAsync();
            opened.ForEach(connection => connection.Abort());
            await Task.WhenAll(loops);
            opened.ForEach(connection => connection.Dispose());
        }
    }

    private static bool ReadLoop(IBlockingBenchConnection connection, long[] received, int slot, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var read = connection.Skip(LoopbackTarget.ChunkSize);
                if (read == 0)
                {
                    return true;
                }

                Volatile.Write(ref received[slot], received[slot] + read);
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            // Aborted at the end of the measurement.
        }

        return true;
    }

    private static bool WriteLoop(IBlockingBenchConnection connection, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                connection.Send(payload);
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            // Aborted at the end of the measurement.
        }

        return true;
    }

    internal static bool IsConnectionEnd(Exception e) =>
        e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException;
}
