namespace TestKit.Time;

/// <summary>
/// Another clock's passage of time (its timers and timestamps) with a wall clock shifted from it: another machine's
/// view of a shared <see cref="ManualTimeProvider"/> (skew between two nodes), or real time whose wall clock a test
/// moves forward with <see cref="Shift"/> (condition transition times, whole seconds, told apart without waiting).
/// </summary>
/// <param name="inner">The clock whose timers and timestamps this one uses: a manual clock, or <see cref="TimeProvider.System"/>.</param>
/// <param name="shift">How far this wall clock starts from the inner one's.</param>
public sealed class ShiftedTimeProvider(TimeProvider inner, TimeSpan shift = default) : TimeProvider
{
    private long _shiftTicks = shift.Ticks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow().AddTicks(Interlocked.Read(ref _shiftTicks));

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the wall clock by <paramref name="by"/>; timers and timestamps are not affected.</summary>
    public void Shift(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);
}
