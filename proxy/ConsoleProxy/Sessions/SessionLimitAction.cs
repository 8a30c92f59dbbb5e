namespace ConsoleProxy.Sessions;

/// <summary>What a new session does when it would exceed a token's max_sessions or --max-sessions-per-target.</summary>
public enum SessionLimitAction
{
    /// <summary>The new session is refused before the upgrade with 409 (KubeVirt's preserveSession): the first viewer keeps the console.</summary>
    Reject,

    /// <summary>The oldest session is closed with 4006 and the new one proceeds: the last person to open the link wins.</summary>
    Takeover,
}
