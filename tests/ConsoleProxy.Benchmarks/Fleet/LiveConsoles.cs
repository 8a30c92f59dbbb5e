using System.Net.Sockets;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// N live consoles through one system at once, each VNC-like: the target sends screen updates of 4-64 KiB
/// (uniform) at 10-30 per second, the client sends input events of 6-10 bytes at 20-60 per second (each
/// session's two rates drawn once, uniform, with a random phase). One <see cref="PacingWheel"/> thread paces
/// every message of both ends; every receive is an async socket call, so the load generator is a handful
/// of threads however large N is. Latency is from the send time written into the message to the arrival of
/// its last byte, both ends read on the same clock; how late sends started is reported beside it.
/// </summary>
public static class LiveConsoles
{
    private const int OpenParallelism = 32;

    // A whole screen update per receive call where it can: at 16 KiB the generator's CPU went mostly into receive calls.
    private const int ClientReceiveBuffer = 64 * 1024;
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);
    private static readonly byte[] Filler = RandomFiller();

    public static async Task<LiveConsoleResult> MeasureAsync(ISystemUnderTest system, LoopbackTarget target, int sessions, TimeSpan warmUp, TimeSpan measured, CancellationToken cancellationToken)
    {
        if (target.Mode != TargetMode.Console)
        {
            throw new ArgumentException("live consoles need the console target", nameof(target));
        }

        // Connections a previous run left unclaimed (a client that failed after the target accepted) are not ours.
        while (target.Accepted.TryRead(out var stale))
        {
            stale.Dispose();
        }

        var relayPid = system.ProcessId;
        var baselinePss = relayPid is { } before ? ProcessMemory.PssBytesOfTree(before) : 0;
        var (clients, failure) = await OpenAsync(system, sessions, cancellationToken);
        var targetSockets = new List<Socket>();
        using (var acceptWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            acceptWait.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                while (targetSockets.Count < clients.Count)
                {
                    targetSockets.Add(await target.Accepted.ReadAsync(acceptWait.Token));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure ??= $"the target saw {targetSockets.Count} of the {clients.Count} sessions opened within 30 s";
            }
        }

        var clock = new ConsoleMessages();
        var window = new MeasurementWindow(clock);
        var wheel = new PacingWheel(clock);
        var sendLag = new List<LatencyRecorder>();
        var draw = new Random(19);
        var stopping = false;
        string? lost = null;
        void Lost(Exception e)
        {
            if (!Volatile.Read(ref stopping))
            {
                Interlocked.CompareExchange(ref lost, $"{e.GetType().Name}: {e.Message}", null);
            }
        }

        var loops = new List<Task>();
        var updateLatency = new List<LatencyRecorder>();
        var inputLatency = new List<LatencyRecorder>();
        var senders = new List<PacedSends>();

        // Input from the client side: every size is drawn on the wheel's thread, the only one that calls it.
        foreach (var client in clients)
        {
            var recorder = new LatencyRecorder(window);
            updateLatency.Add(recorder);
            loops.Add(ReadAsync(client.ReceiveAsync, new MessageStreamReader(updates: true, clock, recorder, window), ClientReceiveBuffer, Lost, cancellationToken));
            var input = new byte[ConsoleMessages.MaxInput];
            var sends = new PacedSends(
                (stamp, size) =>
                {
                    ConsoleMessages.WriteInput(input.AsSpan(0, size), stamp);
                    return new ValueTask(client.SendAsync(input.AsMemory(0, size), cancellationToken));
                },
                1_000_000.0 / draw.Next(20, 61),
                () => draw.Next(ConsoleMessages.MinInput, ConsoleMessages.MaxInput + 1),
                clock,
                window,
                Add(sendLag, new LatencyRecorder(window)));
            senders.Add(sends);
            wheel.Add(sends, clock.ElapsedMicros() + (long)(draw.NextDouble() * 50_000));
        }

        // Screen updates from the target side: a header of its own per session, the bytes after it shared.
        foreach (var socket in targetSockets)
        {
            var recorder = new LatencyRecorder(window);
            inputLatency.Add(recorder);
            loops.Add(ReadAsync((buffer, token) => socket.ReceiveAsync(buffer, SocketFlags.None, token), new MessageStreamReader(updates: false, clock, recorder, window), 512, Lost, cancellationToken));
            var updates = new UpdateSender(socket, Filler);
            var sends = new PacedSends(
                updates.SendAsync,
                1_000_000.0 / draw.Next(10, 31),
                () => draw.Next(ConsoleMessages.MinUpdate, ConsoleMessages.MaxUpdate + 1),
                clock,
                window,
                Add(sendLag, new LatencyRecorder(window)));
            senders.Add(sends);
            wheel.Add(sends, clock.ElapsedMicros() + (long)(draw.NextDouble() * 100_000));
        }

        wheel.Start();
        double? relayCpu = null;
        long loadedPss = 0;
        double generatorCpu;
        double machineBusy;
        double seconds;
        try
        {
            await Task.Delay(warmUp, cancellationToken);
            var relayCpuBefore = relayPid is { } pid ? ProcessMemory.CpuSecondsOfTree(pid) : 0;
            var generatorBefore = ProcessMemory.OwnCpuSeconds(Environment.ProcessId);
            var machineBefore = MachineCpu.Read();
            // The window's real length: a delay on a busy machine ends late, and every rate here is per second of it.
            var windowClock = System.Diagnostics.Stopwatch.StartNew();
            window.Open();
            await Task.Delay(measured, cancellationToken);
            window.Close();
            seconds = windowClock.Elapsed.TotalSeconds;
            if (relayPid is { } relay)
            {
                relayCpu = (ProcessMemory.CpuSecondsOfTree(relay) - relayCpuBefore) / seconds;
                loadedPss = ProcessMemory.PssBytesOfTree(relay);
            }

            generatorCpu = (ProcessMemory.OwnCpuSeconds(Environment.ProcessId) - generatorBefore) / seconds;
            machineBusy = MachineCpu.Read().BusyFractionSince(machineBefore);

            // Messages sent in the window and still on their way are waited for (a bounded time), so they
            // count as delivered, with their latency, rather than as lost.
            var drain = System.Diagnostics.Stopwatch.StartNew();
            while (window.Received < window.Sent && drain.Elapsed < DrainLimit)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
        finally
        {
            Volatile.Write(ref stopping, true);
            window.Close();
            await wheel.StopAsync();
            foreach (var client in clients)
            {
                client.Abort();
                client.Dispose();
            }

            foreach (var socket in targetSockets)
            {
                socket.Dispose();
            }

            await Task.WhenAll(loops);
        }

        var sendFailure = senders.Select(s => s.Failure).FirstOrDefault(e => e is not null);
        failure ??= lost ?? (sendFailure is null ? null : $"a send failed: {sendFailure.GetType().Name}: {sendFailure.Message}");
        var sent = window.Sent;
        var received = window.Received;
        var opened = Math.Min(clients.Count, targetSockets.Count);
        return new LiveConsoleResult
        {
            System = system.Name,
            Asked = sessions,
            Opened = opened,
            Updates = LatencyPercentiles.Of(updateLatency.SelectMany(r => r.Samples)),
            Inputs = LatencyPercentiles.Of(inputLatency.SelectMany(r => r.Samples)),
            Offered = window.Offered / senders.Sum(s => s.AskedPerSecond * seconds),
            Delivered = sent == 0 ? 0 : (double)received / sent,
            RelayCpuPercentPerThousand = relayCpu is { } cores && opened > 0 ? cores * 100 * 1000 / opened : null,
            RelayKiBPerSession = relayPid is not null && opened > 0 ? (loadedPss - baselinePss) / 1024.0 / opened : null,
            GeneratorCpuPercent = generatorCpu * 100,
            SentPerSecond = sent / seconds,
            SendLagP99Micros = LatencyPercentiles.Of(sendLag.SelectMany(r => r.Samples)).P99,
            MachineBusyPercent = machineBusy * 100,
            Failure = failure,
        };
    }

    private static T Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return item;
    }

    private static async Task<(List<IBenchConnection> Clients, string? Failure)> OpenAsync(ISystemUnderTest system, int sessions, CancellationToken cancellationToken)
    {
        var opened = new IBenchConnection?[sessions];
        var next = -1;
        string? failure = null;
        var openers = Enumerable.Range(0, OpenParallelism).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref failure) is null)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= sessions)
                {
                    return;
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(OpenTimeout);
                try
                {
                    opened[index] = await system.ConnectAsync(TargetMode.Console, timeout.Token);
                }
                catch (Exception e) when (Throughput.IsConnectionEnd(e) || e is InvalidOperationException)
                {
                    Interlocked.CompareExchange(ref failure, $"session {index} failed to open: {e.GetType().Name}: {e.Message}", null);
                }
            }
        }, cancellationToken));
        await Task.WhenAll(openers);
        return ([.. opened.OfType<IBenchConnection>()], failure);
    }

    private static async Task ReadAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> receive, MessageStreamReader reader, int bufferSize, Action<Exception> lost, CancellationToken cancellationToken)
    {
        var buffer = new byte[bufferSize];
        try
        {
            while (true)
            {
                var read = await receive(buffer, cancellationToken);
                if (read == 0)
                {
                    lost(new EndOfStreamException("a session closed during the measurement"));
                    return;
                }

                reader.Consume(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (Throughput.IsConnectionEnd(e) || e is InvalidDataException or InvalidOperationException)
        {
            lost(e);
        }
    }

    private static byte[] RandomFiller()
    {
        var filler = new byte[ConsoleMessages.MaxUpdate];
        Random.Shared.NextBytes(filler);
        return filler;
    }
}
