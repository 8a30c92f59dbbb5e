namespace ConsoleProxy.Tokens.Tests.Time;

/// <summary>
/// A clock the test sets. Only "now" is faked: timers (used for network timeouts) stay real, so a
/// test that moves the clock cannot make a command time out or hang.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
