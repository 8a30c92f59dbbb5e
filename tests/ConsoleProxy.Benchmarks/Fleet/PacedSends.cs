namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// One direction of one live console: at each due time a message of a random size (drawn on the wheel's
/// thread) is sent, or queued behind the one still being sent. The message carries the time its send
/// starts, so its latency is what the path from socket to socket took; how long it waited before that
/// (the wheel running late on a busy machine, or a send still held up by the previous one: backpressure)
/// is recorded apart as the send lag, from the due time, so neither vanishes (no coordinated omission).
/// </summary>
public sealed class PacedSends(Func<uint, int, ValueTask> send, double intervalMicros, Func<int> nextSize, ConsoleMessages clock, MeasurementWindow window, LatencyRecorder sendLag) : IPaced
{
    private readonly object _gate = new();
    private readonly Queue<(long Due, int Size)> _owed = new();
    private bool _sending;
    private double _next;

    /// <summary>The rate asked of this direction, messages per second.</summary>
    public double AskedPerSecond => 1_000_000 / intervalMicros;

    /// <summary>Messages sent while the window was open.</summary>
    public long SentInWindow { get; private set; }

    /// <summary>The first error a send met (the connection ended), or null.</summary>
    public Exception? Failure { get; private set; }

    public long Fire(long dueMicros)
    {
        if (_next == 0)
        {
            _next = dueMicros;
        }

        var message = (dueMicros, nextSize());
        lock (_gate)
        {
            if (Failure is not null)
            {
                return NextDue();
            }

            if (_sending)
            {
                _owed.Enqueue(message);
                return NextDue();
            }

            _sending = true;
        }

        _ = SendAsync(message);
        return NextDue();
    }

    private long NextDue()
    {
        _next += intervalMicros;
        return (long)_next;
    }

    private async Task SendAsync((long Due, int Size) message)
    {
        while (true)
        {
            try
            {
                var now = clock.ElapsedMicros();
                var stamp = unchecked((uint)now);
                if (sendLag.Record(stamp, (uint)Math.Max(0, now - message.Due)))
                {
                    SentInWindow++;
                    window.CountSent();
                }

                if (window.Contains(unchecked((uint)message.Due)))
                {
                    window.CountOffered();
                }

                await send(stamp, message.Size);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    Failure ??= e;
                    _sending = false;
                    _owed.Clear();
                }

                return;
            }

            lock (_gate)
            {
                if (!_owed.TryDequeue(out message))
                {
                    _sending = false;
                    return;
                }
            }
        }
    }
}
