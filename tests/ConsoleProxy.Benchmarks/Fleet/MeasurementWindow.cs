namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// The live-console measurement's window, by send time: a message counts when it was sent while the window
/// was open, whenever it arrives, so a message still in flight when the window closes is waited for (see
/// <see cref="LiveConsoles"/>) instead of counting as lost, and one sent before it opened does not count.
/// </summary>
public sealed class MeasurementWindow(ConsoleMessages clock)
{
    private long _openedAt = -1;
    private long _closedAt = -1;
    private long _sent;
    private long _offered;
    private long _received;

    public bool IsOpen => Volatile.Read(ref _openedAt) >= 0 && Volatile.Read(ref _closedAt) < 0;

    /// <summary>Messages sent while the window was open.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>
    /// Messages due while the window was open and sent (perhaps late): the load offered in the window, to compare with
    /// the rate asked over it. Counted by due time, not send time: a backlog queued during the warm-up and sent in the
    /// window is not offered in it, or the offered share could pass 100%.
    /// </summary>
    public long Offered => Interlocked.Read(ref _offered);

    /// <summary>Of those, the ones that have arrived.</summary>
    public long Received => Interlocked.Read(ref _received);

    public void Open() => Volatile.Write(ref _openedAt, clock.ElapsedMicros());

    public void Close()
    {
        if (Volatile.Read(ref _openedAt) >= 0 && Volatile.Read(ref _closedAt) < 0)
        {
            Volatile.Write(ref _closedAt, clock.ElapsedMicros());
        }
    }

    /// <summary>Whether a message that carries <paramref name="sentMicros"/> was sent while the window was open.</summary>
    public bool Contains(uint sentMicros)
    {
        var openedAt = Volatile.Read(ref _openedAt);
        if (openedAt < 0)
        {
            return false;
        }

        // Unsigned differences from the opening stay right across the 71-minute wrap of the payload's clock.
        var sinceOpened = unchecked(sentMicros - (uint)openedAt);
        var closedAt = Volatile.Read(ref _closedAt);
        return closedAt >= 0 ? sinceOpened <= (ulong)(closedAt - openedAt) : sinceOpened < int.MaxValue;
    }

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountOffered() => Interlocked.Increment(ref _offered);

    public void CountReceived() => Interlocked.Increment(ref _received);
}
