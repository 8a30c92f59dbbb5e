using System.Diagnostics;
using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// Time to first frame: from the client's first connect call (TCP, TLS when the URL is wss, the WebSocket
/// upgrade, the relay's token lookup and its dial) to the last byte of the target's RFB version string
/// at the client. Sequential (one session at a time: the latency of an unloaded relay), and from 32
/// sessions opened in parallel over and over (the latency when a fleet's users arrive at once).
/// </summary>
public static class FirstFrame
{
    public const int Parallel = 32;
    private static readonly byte[] Greeting = "RFB 003.008\n"u8.ToArray();

    /// <summary>Latencies in microseconds and the sessions that failed.</summary>
    public static async Task<(LatencyPercentiles Latency, int Failures)> MeasureAsync(ISystemUnderTest system, int parallel, int sessions, CancellationToken cancellationToken)
    {
        var samples = new uint[sessions];
        var next = -1;
        var failures = 0;
        var workers = Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            var greeting = new byte[Greeting.Length];
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= sessions)
                {
                    return;
                }

                try
                {
                    samples[index] = await OneAsync(system, greeting, cancellationToken);
                }
                catch (Exception e) when (Throughput.IsConnectionEnd(e) || e is InvalidOperationException or InvalidDataException or System.Security.Authentication.AuthenticationException)
                {
                    Interlocked.Increment(ref failures);
                    samples[index] = uint.MaxValue;
                }
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        return (LatencyPercentiles.Of(samples.Where(sample => sample != uint.MaxValue)), failures);
    }

    private static async Task<uint> OneAsync(ISystemUnderTest system, byte[] greeting, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var start = Stopwatch.GetTimestamp();
        using var connection = await system.ConnectAsync(TargetMode.Greeting, timeout.Token);
        var received = 0;
        while (received < greeting.Length)
        {
            var read = await connection.ReceiveAsync(greeting.AsMemory(received), timeout.Token);
            if (read == 0)
            {
                throw new InvalidDataException("the session closed before the RFB version string arrived");
            }

            received += read;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        connection.Abort();
        if (!greeting.AsSpan().SequenceEqual(Greeting))
        {
            throw new InvalidDataException($"the first bytes were not the RFB version string: {Convert.ToHexString(greeting)}");
        }

        return (uint)Math.Min(uint.MaxValue - 1, elapsed.TotalMicroseconds);
    }
}
