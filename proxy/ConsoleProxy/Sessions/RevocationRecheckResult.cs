namespace ConsoleProxy.Sessions;

/// <summary>How one <see cref="RevocationRecheck"/> pass went; anything but Done is retried.</summary>
public enum RevocationRecheckResult
{
    Done,

    StoreUnavailable,

    /// <summary>Every live token was missing: more likely data loss than a mass revocation.</summary>
    StoreLooksEmptied,
}
