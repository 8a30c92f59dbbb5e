namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>The condition types on a ConsoleToken.</summary>
public static class ConsoleTokenConditions
{
    /// <summary>True while the URL in the Secret opens the console; False says why not (the reason).</summary>
    public const string Ready = "Ready";

    /// <summary>Whether the operator reached the proxy's token store at the last attempt.</summary>
    public const string TokenStoreReachable = "TokenStoreReachable";
}
