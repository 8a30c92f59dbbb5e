using ConsoleOperator.Kube.Runtime.Conditions;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>What the operator found when it tried its ConsoleProxy's token store: the TokenStoreReady condition's content.</summary>
/// <param name="Status">True, False or Unknown.</param>
/// <param name="Reason">Why, in one CamelCase word.</param>
/// <param name="Message">What was tried and what to do about it; never a password.</param>
public sealed record TokenStoreHealth(string Status, string Reason, string Message)
{
    public bool IsReachable => Status == ConditionStatus.True;

    public static TokenStoreHealth Reachable(string address) =>
        new(ConditionStatus.True, ConsoleProxyReasons.Reachable, $"the operator reads the token store at {address}");
}
