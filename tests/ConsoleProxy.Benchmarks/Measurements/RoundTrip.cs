using System.Diagnostics;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// 64-byte messages echoed by the target, one at a time on one connection: the latency a keystroke
/// sees. Driven with async calls, unlike the throughput figures: on this virtual machine waking a
/// thread blocked in a system call costs more than handing the wake-up to a spinning thread-pool
/// worker, so blocking calls double the direct round trip (54 us against 26 us, the issue's own
/// reference being 22 us) and would hide the relay's share behind the client's.
/// </summary>
public static class RoundTrip
{
    private const int MessageSize = 64;
    private const int WarmUpRounds = 1_000;

    /// <summary>p50 and p99 in microseconds.</summary>
    public static async Task<(double P50, double P99)> MeasureAsync(ISystemUnderTest system, int rounds)
    {
        using var connection = await system.ConnectAsync(TargetMode.Echo, CancellationToken.None);
        var message = new byte[MessageSize];
        var answer = new byte[MessageSize];
        var samples = new long[rounds];
        for (var i = -WarmUpRounds; i < rounds; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await connection.SendAsync(message, CancellationToken.None);
            var received = 0;
            while (received < MessageSize)
            {
                var read = await connection.ReceiveAsync(answer.AsMemory(received), CancellationToken.None);
                if (read == 0)
                {
                    throw new InvalidOperationException($"{system.Name} closed the echo connection");
                }

                received += read;
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetTimestamp() - started;
            }
        }

        connection.Abort();
        Array.Sort(samples);
        double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        return (Micros(samples[rounds / 2]), Micros(samples[(int)(rounds * 0.99)]));
    }
}
