namespace ConsoleProxy.Metrics;

/// <summary>What the proxy asked the token store, as the <c>operation</c> label of the Redis command metrics.</summary>
public enum RedisOperation
{
    /// <summary>Writing a token (the CLI's mint, or a test).</summary>
    Store,

    /// <summary>Reading a token without consuming it (the revocation re-check).</summary>
    Lookup,

    /// <summary>Authorizing a new session (reads, and consumes a single-use token).</summary>
    Redeem,

    /// <summary>Deleting a token and publishing its revocation.</summary>
    Revoke,

    /// <summary>Subscribing to the revocation channel.</summary>
    Subscribe,

    /// <summary>The readiness probe's PING.</summary>
    Ping,
}
