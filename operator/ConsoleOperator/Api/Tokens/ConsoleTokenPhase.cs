namespace ConsoleOperator.Api.Tokens;

/// <summary>Where a ConsoleToken is in its life.</summary>
public enum ConsoleTokenPhase
{
    /// <summary>Not minted yet (validating, or the token store is unreachable).</summary>
    Pending,

    /// <summary>Minted: the URL in its Secret opens the console until expiresAt.</summary>
    Active,

    /// <summary>Past expiresAt; deleted ttlSecondsAfterExpiry later.</summary>
    Expired,

    /// <summary>Revoked before expiry; live sessions were closed.</summary>
    Revoked,

    /// <summary>Refused by the proxy's policy; the Ready condition says why. Nothing was minted.</summary>
    Invalid,
}
