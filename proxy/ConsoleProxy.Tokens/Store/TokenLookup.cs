using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The answer of one token lookup: the record, or why there is none. Both come from the same atomic
/// read in the store, so the reason is never from a later state than the miss.
/// </summary>
public sealed record TokenLookup
{
    private TokenLookup(TokenRecord? record, TokenMissReason? missReason)
    {
        Record = record;
        MissReason = missReason;
    }

    /// <summary>A miss with no finer reason; also what an unreadable record reads as.</summary>
    public static TokenLookup Unknown { get; } = new(null, TokenMissReason.Unknown);

    /// <summary>A record still in the store but past its expiry on the reader's clock.</summary>
    public static TokenLookup Expired { get; } = new(null, TokenMissReason.Expired);

    /// <summary>A single-use token that was already redeemed.</summary>
    public static TokenLookup Consumed { get; } = new(null, TokenMissReason.Consumed);

    /// <summary>A token that was revoked.</summary>
    public static TokenLookup Revoked { get; } = new(null, TokenMissReason.Revoked);

    /// <summary>The record; null on a miss.</summary>
    public TokenRecord? Record { get; }

    /// <summary>Why there is no record; null when there is one.</summary>
    public TokenMissReason? MissReason { get; }

    [MemberNotNullWhen(true, nameof(Record))]
    public bool IsFound => Record is not null;

    public static TokenLookup Found(TokenRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new TokenLookup(record, null);
    }
}
