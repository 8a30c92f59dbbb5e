namespace ConsoleProxy.Authorization;

/// <summary>
/// Why an upgrade was refused, as the `reason` label of consoleproxy_authorization_failures_total.
/// A spike in one of them points at its cause: unknown_token at a scanner or a stale portal link,
/// origin at a load balancer rewriting headers, store_unavailable at Redis, capacity at sizing.
/// The label text is the member name in snake_case.
/// </summary>
public enum AuthorizationFailure
{
    TokenMissing,

    /// <summary>
    /// Not in the store: never minted, expired there, revoked, or a single-use token already used
    /// (the store answers all of these the same way, by design: one atomic read-and-consume).
    /// </summary>
    UnknownToken,

    /// <summary>Still in the store but past its expiry on the proxy's clock.</summary>
    Expired,

    Origin,

    TlsRequired,

    TargetNotAllowed,

    StoreUnavailable,

    Capacity,

    Draining,
}
