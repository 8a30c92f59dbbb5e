using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The token index the proxies read and the operator (or the CLI) writes. Every method throws
/// <see cref="TokenStoreUnavailableException"/> when the store cannot be reached, so callers can
/// answer 503 (proxy) or retry with backoff (operator) instead of treating it as "unknown token".
/// </summary>
public interface ITokenStore
{
    /// <summary>Stores (or overwrites) a token; the entry expires at <see cref="TokenRecord.ExpiresAt"/>.</summary>
    Task StoreAsync(TokenHash hash, TokenRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a token without consuming it. No record when unknown, expired, already consumed or
    /// revoked; the lookup says which of the last two, as far as the store knows.
    /// </summary>
    Task<TokenLookup> GetAsync(TokenHash hash, CancellationToken cancellationToken);

    /// <summary>
    /// Authorizes a new session: returns the record, and for a single-use token deletes it in the same
    /// atomic step so exactly one caller wins (the store then remembers it as consumed until it would
    /// have expired). No record when unknown, expired, already consumed or revoked, with the reason.
    /// </summary>
    Task<TokenLookup> RedeemAsync(TokenHash hash, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the token and publishes its hash on the revocation channel; the store remembers it as
    /// revoked until it would have expired. False when it was not there (still published).
    /// </summary>
    Task<bool> RevokeAsync(TokenHash hash, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="onRevoked"/> for every hash published on the revocation channel until the
    /// returned handle is disposed. Resubscribes by itself after the connection comes back.
    /// </summary>
    Task<IAsyncDisposable> SubscribeRevocationsAsync(Func<TokenHash, ValueTask> onRevoked, CancellationToken cancellationToken);

    /// <summary>True when the store answers now (readiness).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
