using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>Limits on live console sessions, enforced by every proxy pod.</summary>
public sealed record SessionPolicySpec
{
    [Range(0)]
    [Description("Close a session with no VNC traffic either way for this long (4003); 0 or unset: never.")]
    public int? IdleTimeoutSeconds { get; init; }

    [Range(0)]
    [Description("Close a session this long after it connected (4004); 0 or unset: never.")]
    public int? MaxDurationSeconds { get; init; }

    [Description("Close live sessions when their token expires (4002); nova's enforce_session_timeout.")]
    public bool EnforceExpiry { get; init; }

    [Range(0)]
    [Description("Most concurrent sessions per proxy pod; further upgrades get 503. 0 or unset: no limit.")]
    public int? MaxSessionsPerPod { get; init; }

    [Range(0)]
    [Description("Most live sessions on one console (target host:port) across every pod of this ConsoleProxy; what happens to one more is onSessionLimit. 0 or unset: no limit (a ConsoleToken's maxSessions still applies).")]
    public int? MaxSessionsPerTarget { get; init; }

    [Pattern("^(reject|takeover)$")]
    [Description("When a new session would exceed a ConsoleToken's maxSessions or maxSessionsPerTarget: reject (the new one gets 409 naming the limit; KubeVirt's preserveSession) or takeover (the oldest is closed with 4006 and the new one proceeds). Default: reject.")]
    public string? OnSessionLimit { get; init; }
}
