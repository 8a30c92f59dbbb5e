namespace ConsoleProxy.Authorization;

/// <summary>
/// Why an upgrade was refused, as the `reason` label of consoleproxy_authorization_failures_total.
/// A spike in one of them points at its cause: unknown_token at a scanner or a stale portal link,
/// consumed at users reopening a single-use link, revoked at users holding links that were taken
/// back, origin at a load balancer rewriting headers, store_unavailable at Redis, capacity at sizing.
/// The label text is the member name in snake_case.
/// </summary>
public enum AuthorizationFailure
{
    TokenMissing,

    /// <summary>
    /// Not in the store and no marker says why: never minted, expired there, unreadable, or removed
    /// by a writer that predates the consumed/revoked markers.
    /// </summary>
    UnknownToken,

    /// <summary>A single-use token already redeemed by an earlier session (the store's consumed marker).</summary>
    Consumed,

    /// <summary>A token revoked before its expiry (the store's revoked marker).</summary>
    Revoked,

    /// <summary>Still in the store but past its expiry on the proxy's clock (once Redis has dropped the key, unknown_token).</summary>
    Expired,

    Origin,

    /// <summary>A single-use token asked for a screenshot (it promises exactly one session).</summary>
    SingleUse,

    TlsRequired,

    TargetNotAllowed,

    /// <summary>The token opens a console kind (serial, spice) this proxy does not serve (`serve --kinds`).</summary>
    KindNotServed,

    StoreUnavailable,

    Capacity,

    /// <summary>The token's max_sessions or the proxy's --max-sessions-per-target is reached and --on-session-limit is reject (409).</summary>
    SessionLimit,

    Draining,

    /// <summary>A screenshot-only token asked for a console session (it is for `GET /screenshot` only).</summary>
    ScreenshotOnly,
}
