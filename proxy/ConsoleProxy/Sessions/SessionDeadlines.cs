using ConsoleProxy.Configuration;

namespace ConsoleProxy.Sessions;

/// <summary>
/// The timers that end a session from the clock: idle timeout (4003), maximum duration (4004) and,
/// with --enforce-expiry, the token's expiry (4002). All run on the injected TimeProvider so tests
/// can move a fake clock. The idle timer is not reset on every byte (a timer update per message
/// would cost more than the relay): it fires after the timeout, looks at the last activity, and
/// re-arms itself for the remainder.
/// </summary>
public sealed class SessionDeadlines : IDisposable
{
    // System.Threading timers cannot wait longer than about 49 days; longer deadlines re-check.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    private readonly ConsoleSession _session;
    private readonly TimeProvider _timeProvider;
    private readonly List<ITimer> _timers = [];

    private SessionDeadlines(ConsoleSession session, TimeProvider timeProvider)
    {
        _session = session;
        _timeProvider = timeProvider;
    }

    /// <summary>The session's deadlines, watched from now; null when the options set none (nothing to hold or dispose).</summary>
    public static SessionDeadlines? Start(ConsoleSession session, ProxyOptions options, TimeProvider timeProvider)
    {
        if (options is { MaxDuration: null, EnforceExpiry: false, IdleTimeout: null })
        {
            return null;
        }

        var deadlines = new SessionDeadlines(session, timeProvider);
        if (options.MaxDuration is { } maxDuration)
        {
            deadlines.Watch(() => session.StartedAt + maxDuration, SessionCloseReason.MaxDuration);
        }

        if (options.EnforceExpiry)
        {
            deadlines.Watch(() => session.Record.ExpiresAt, SessionCloseReason.Expired);
        }

        if (options.IdleTimeout is { } idle)
        {
            deadlines.Watch(() => session.LastActivity + idle, SessionCloseReason.Idle);
        }

        return deadlines;
    }

    public void Dispose()
    {
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }
    }

    /// <summary>
    /// One timer per deadline; the deadline is re-read when it fires because the idle one moves
    /// with traffic and long ones exceed a single timer's range.
    /// </summary>
    private void Watch(Func<DateTimeOffset> deadline, SessionCloseReason reason)
    {
        ITimer? timer = null;
        void Check()
        {
            var remaining = deadline() - _timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                _session.Terminate(reason);
                return;
            }

            timer?.Change(Clamp(remaining), Timeout.InfiniteTimeSpan);
        }

        var initial = deadline() - _timeProvider.GetUtcNow();
        if (initial <= TimeSpan.Zero)
        {
            _session.Terminate(reason);
            return;
        }

        timer = _timeProvider.CreateTimer(_ => Check(), null, Clamp(initial), Timeout.InfiniteTimeSpan);
        _timers.Add(timer);
    }

    private static TimeSpan Clamp(TimeSpan due) => due > LongestTimer ? LongestTimer : due;
}
