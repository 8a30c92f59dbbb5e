namespace ConsoleProxy.Metrics;

/// <summary>
/// How a session ended, as the `outcome` label of consoleproxy_sessions_total: one value per close
/// cause so a dashboard can tell a rolling update (drain) from revocations, idle users or dead VNC
/// servers. The label text is the member name in snake_case.
/// </summary>
public enum SessionOutcome
{
    /// <summary>Either side closed cleanly (1000).</summary>
    Normal,

    /// <summary>The browser vanished without a close frame (1006 in our logs).</summary>
    ClientLost,

    /// <summary>Closed by a drain (1001).</summary>
    Drain,

    Revoked,

    Expired,

    Idle,

    MaxDuration,

    /// <summary>The browser broke the WebSocket protocol (closed with 1002, 1003 or 1007).</summary>
    ProtocolError,

    /// <summary>Upgraded, but the VNC server could not be reached (4005).</summary>
    TargetUnreachable,

    /// <summary>A newer session took its place under --on-session-limit takeover (4006).</summary>
    TakenOver,

    /// <summary>An unexpected failure inside the proxy ended the session.</summary>
    Error,
}
