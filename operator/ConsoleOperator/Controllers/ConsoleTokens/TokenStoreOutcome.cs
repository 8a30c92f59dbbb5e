namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>What making sure a token's hash is in its proxy's store found.</summary>
public enum TokenStoreOutcome
{
    /// <summary>The hash is stored (written now, or confirmed in this store epoch before).</summary>
    Stored,

    /// <summary>An Active token's hash was missing (the store lost its data) and was written again.</summary>
    Restored,

    /// <summary>An Active single-use token's hash was missing: it was used, and is never written again.</summary>
    Consumed,
}
