namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>The condition types a ConsoleProxy's status carries.</summary>
public static class ConsoleProxyConditions
{
    /// <summary>The proxy pods are available and the operator reaches the token store: consoles can be opened.</summary>
    public const string Ready = "Ready";

    /// <summary>A rollout of the proxy pods is under way.</summary>
    public const string Progressing = "Progressing";

    /// <summary>Something needs a person: the spec is invalid, the API server refused an object, a rollout is stuck.</summary>
    public const string Degraded = "Degraded";

    /// <summary>Whether the operator can reach the token store (and so mint tokens).</summary>
    public const string TokenStoreReady = "TokenStoreReady";
}
