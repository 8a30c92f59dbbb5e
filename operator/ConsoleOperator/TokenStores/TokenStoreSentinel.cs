using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleOperator.TokenStores;

/// <summary>
/// A marker entry the operator keeps in each token store so it can tell a store that lost its data (restart
/// without persistence, failover to an empty replica, FLUSHALL) from one that merely has no tokens: when the
/// marker is gone, so is everything else, and the Active tokens are written again from their Secrets.
/// </summary>
/// <remarks>
/// It lives in the token key space (the contract gives the operator no other) under the all-zero hash, which no
/// token hashes to: finding a preimage would mean breaking SHA-256, so no client can ever redeem it. It points at
/// <c>sentinel.invalid</c> (a name that never resolves, RFC 2606) and is marked single-use and view-only besides.
/// </remarks>
public static class TokenStoreSentinel
{
    public const string Owner = "consoleoperator.dev/token-store-sentinel";

    /// <summary>How long the marker lives; it is renewed when less than half is left.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static TokenHash Hash { get; } = TokenHash.FromHex(new string('0', 64))
        ?? throw new InvalidOperationException("the sentinel hash is not a valid token hash");

    public static ConsoleTarget Target { get; } = new("sentinel.invalid", 9);

    /// <summary>
    /// True when the marker was there (the store kept its data); false when it was missing and has been written now.
    /// Throws <see cref="TokenStoreUnavailableException"/> when the store cannot be reached.
    /// </summary>
    public static async Task<bool> CheckAsync(ITokenStore store, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var found = (await store.GetAsync(Hash, cancellationToken)).Record;
        var now = timeProvider.GetUtcNow();
        if (found is not null && found.Owner == Owner)
        {
            if (found.ExpiresAt - now < Lifetime / 2)
            {
                await WriteAsync(store, now, cancellationToken);
            }

            return true;
        }

        await WriteAsync(store, now, cancellationToken);
        return false;
    }

    private static Task WriteAsync(ITokenStore store, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.StoreAsync(Hash, new TokenRecord(Target, now + Lifetime, TokenFlags.SingleUse | TokenFlags.ViewOnly, Owner), cancellationToken);
}
