namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// One direction of one live console: at each due time a message of a random size (drawn on the wheel's
/// thread) is sent, or queued behind the one still being sent. A queued message keeps its due time as its
/// timestamp, so a relay that holds up a send is charged the wait (no coordinated omission).
/// </summary>
public sealed class PacedSends(Func<uint, int, ValueTask> send, double intervalMicros, Func<int> nextSize, MeasurementWindow window) : IPaced
{
    private readonly object _gate = new();
    private readonly Queue<(uint Stamp, int Size)> _owed = new();
    private bool _sending;
    private double _next;

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

        var message = (unchecked((uint)dueMicros), nextSize());
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

    private async Task SendAsync((uint Stamp, int Size) message)
    {
        while (true)
        {
            try
            {
                if (window.IsOpen)
                {
                    SentInWindow++;
                }

                await send(message.Stamp, message.Size);
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
