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

    /// <summary>Reads a token without consuming it; null when unknown or expired.</summary>
    Task<TokenRecord?> GetAsync(TokenHash hash, CancellationToken cancellationToken);

    /// <summary>
    /// Authorizes a new session: returns the record, and for a single-use token deletes it in the same
    /// atomic step so exactly one caller wins. Null when unknown, expired or already consumed.
    /// </summary>
    Task<TokenRecord?> RedeemAsync(TokenHash hash, CancellationToken cancellationToken);

    /// <summary>Deletes the token and publishes its hash on the revocation channel. False when it was not there (still published).</summary>
    Task<bool> RevokeAsync(TokenHash hash, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="onRevoked"/> for every hash published on the revocation channel until the
    /// returned handle is disposed. Resubscribes by itself after the connection comes back.
    /// </summary>
    Task<IAsyncDisposable> SubscribeRevocationsAsync(Func<TokenHash, ValueTask> onRevoked, CancellationToken cancellationToken);

    /// <summary>True when the store answers now (readiness).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}
