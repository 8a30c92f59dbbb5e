namespace ConsoleOperator.Kube.Tests.Runtime;

/// <summary>
/// Another machine's view of a shared <see cref="ManualTimeProvider"/>: the same passage of time
/// (timers and timestamps) but a wall clock off by <c>skew</c>, as between two nodes.
/// </summary>
public sealed class SkewedTimeProvider(ManualTimeProvider clock, TimeSpan skew) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow() + skew;

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        clock.CreateTimer(callback, state, dueTime, period);
}
