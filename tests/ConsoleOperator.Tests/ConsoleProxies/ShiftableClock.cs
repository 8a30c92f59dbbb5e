namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>
/// Real time (timers, timestamps, delays all real) whose wall clock a test can move forward, so condition
/// transition times (whole seconds) are told apart without waiting for seconds to pass.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
