using System.Globalization;
using ConsoleProxy.Configuration;
using ConsoleProxy.Metrics;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Sessions;

/// <summary>
/// The second-viewer policy, checked after the token is redeemed and before the upgrade: a token's max_sessions
/// (default 1 for single-use, else unlimited) and --max-sessions-per-target, counted across the fleet as this
/// process's registry plus the sessions other processes published (<see cref="SessionDirectory"/>). Over a limit,
/// <c>reject</c> refuses the new session (409, the text names the limit) and <c>takeover</c> closes the oldest
/// sessions with 4006 (locally, or by asking the proxy that relays them) and lets the new one in.
/// </summary>
/// <remarks>
/// Race window: two sessions admitted at the same time on different proxies both count the sessions published before
/// them, so both can get in; each proxy publishes a session the moment it registers, so the window is one new
/// session's dial and handshake plus a Redis round trip (milliseconds on a LAN). Within one process the same holds
/// between two admissions in flight. A limit is therefore exact for people opening a console one after another and
/// may be exceeded by one for two opening it in the same instant; the next admission sees both.
/// </remarks>
public sealed class SessionAdmission(SessionRegistry registry, SessionDirectory directory, ProxyOptions options, ProxyMetrics metrics)
{
    private readonly SessionLimitAction _action = SessionLimitActions.TryParse(options.OnSessionLimit, out var action) ? action.Value : SessionLimitAction.Reject;

    /// <summary>Null when admitted (after any takeover was requested); else the refusal's text for the 409.</summary>
    public async Task<string?> AdmitAsync(TokenHash hash, TokenRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Only an explicit max_sessions is counted here. A single-use token's default of one is already enforced by its
        // redemption (a second session is refused as consumed before it gets here), so counting it would only add a
        // store read to every such session's start; and a SPICE client opens one WebSocket per channel on one token,
        // so its sessions are channels, not viewers.
        if (record.MaxSessions is { } tokenLimit)
        {
            var limit = $"the token admits {tokenLimit.ToString(CultureInfo.InvariantCulture)} concurrent session{(tokenLimit == 1 ? string.Empty : "s")} (max_sessions)";
            var local = registry.Snapshot().Where(session => session.TokenHash == hash);
            var refusal = await EnforceAsync(local, await directory.ListByTokenAsync(hash, cancellationToken), tokenLimit, limit, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        if (options.MaxSessionsPerTarget > 0)
        {
            var target = record.Target.ToString();
            var limit = $"the console {target} admits {options.MaxSessionsPerTarget.ToString(CultureInfo.InvariantCulture)} concurrent session{(options.MaxSessionsPerTarget == 1 ? string.Empty : "s")} (--max-sessions-per-target)";
            var local = registry.Snapshot().Where(session => session.Record.Target.ToString() == target);
            return await EnforceAsync(local, await directory.ListByTargetAsync(target, cancellationToken), options.MaxSessionsPerTarget, limit, cancellationToken);
        }

        return null;
    }

    private async Task<string?> EnforceAsync(IEnumerable<ConsoleSession> local, IReadOnlyList<PublishedSession> published, int max, string limit, CancellationToken cancellationToken)
    {
        // This process's sessions from its registry (the truth, even before their first publish); the others' from the store.
        var live = local
            .Select(session => (StartedAt: session.StartedAt, Local: (ConsoleSession?)session, Remote: (PublishedSession?)null))
            .Concat(published
                .Where(session => session.ProxyInstance != options.InstanceName)
                .Select(session => (session.StartedAt, Local: (ConsoleSession?)null, Remote: (PublishedSession?)session)))
            .Where(entry => entry.Local is null || !entry.Local.Terminated.IsCompleted)
            .OrderBy(entry => entry.StartedAt)
            .ToList();
        var excess = live.Count - max + 1;
        if (excess <= 0)
        {
            return null;
        }

        if (_action == SessionLimitAction.Reject)
        {
            return $"session limit reached: {limit}; on-session-limit reject keeps the current session{(max == 1 ? string.Empty : "s")}";
        }

        foreach (var oldest in live.Take(excess))
        {
            metrics.SessionTakeovers.Inc();
            if (oldest.Local is { } session)
            {
                session.Terminate(SessionCloseReason.TakenOver(limit));
            }
            else
            {
                await directory.RequestTakeoverAsync(oldest.Remote!, limit, cancellationToken);
            }
        }

        return null;
    }
}
