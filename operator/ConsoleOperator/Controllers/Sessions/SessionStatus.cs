using ConsoleOperator.Api.Tokens;
using ConsoleProxy.Tokens.Sessions;

namespace ConsoleOperator.Controllers.Sessions;

/// <summary>
/// The session fields of a ConsoleToken's status (<c>sessions</c>, <c>lastConnectedAt</c>) from the sessions its
/// proxy pods published. Pure, so what is written, and when nothing is, is a unit test.
/// </summary>
public static class SessionStatus
{
    /// <summary>
    /// The status fields to apply for <paramref name="token"/> given its live <paramref name="sessions"/>; null when
    /// there is nothing to say (no session now and none ever seen, so a token nobody opened costs no write).
    /// lastConnectedAt is carried over from the current status: the field manager that owns it must send it on every
    /// apply, or server-side apply would remove it.
    /// </summary>
    public static ConsoleTokenStatus? For(ConsoleTokenResource token, IReadOnlyCollection<PublishedSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(sessions);
        var previous = token.Status;
        if (sessions.Count == 0 && previous?.Sessions is null && previous?.LastConnectedAt is null)
        {
            return null;
        }

        var ordered = sessions
            .OrderBy(session => session.StartedAt)
            .ThenBy(session => session.Key, StringComparer.Ordinal)
            .ToList();
        DateTimeOffset? lastConnected = previous?.LastConnectedAt;
        if (ordered.Count > 0 && (lastConnected is null || Seconds(ordered[^1].StartedAt) > lastConnected))
        {
            lastConnected = Seconds(ordered[^1].StartedAt);
        }

        return new ConsoleTokenStatus
        {
            Sessions = new ConsoleTokenSessions
            {
                Count = ordered.Count,
                Current = ordered.Count == 0
                    ? null
                    : [.. ordered.Take(ConsoleTokenSessions.MaxListed).Select(session => new ConsoleTokenSession
                    {
                        Pod = session.ProxyInstance,
                        Client = session.Client,
                        Since = Seconds(session.StartedAt),
                        ViewOnly = session.ViewOnly,
                    })],
            },
            LastConnectedAt = lastConnected,
        };
    }

    /// <summary>Whole seconds in UTC, as Kubernetes writes times, so a status read back compares equal.</summary>
    public static DateTimeOffset Seconds(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
