namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Why a lookup found no usable record, as far as the store can tell. Only a label for metrics and
/// messages: every reason refuses the token the same way.
/// </summary>
public enum TokenMissReason
{
    /// <summary>
    /// Never minted, expired and already forgotten by Redis, unreadable (unknown schema version,
    /// damaged field), or gone without a trace (removed by a writer that predates the markers).
    /// </summary>
    Unknown,

    /// <summary>
    /// Still in Redis but past its expiry on the reader's clock: Redis forgets keys lazily and its
    /// clock may trail ours. Once Redis has dropped the key the same token reads as Unknown.
    /// </summary>
    Expired,

    /// <summary>A single-use token that a session already redeemed, and that has not expired since.</summary>
    Consumed,

    /// <summary>Revoked before its expiry, and that expiry has not passed yet.</summary>
    Revoked,
}
