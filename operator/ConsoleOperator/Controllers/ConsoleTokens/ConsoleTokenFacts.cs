using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>What a ConsoleToken's spec names, read the one way every piece of the controller reads it.</summary>
public static class ConsoleTokenFacts
{
    /// <summary>The ConsoleProxy a token names.</summary>
    public static ObjectKey ProxyKey(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new ObjectKey(ConsoleTokenValidator.ProxyNamespace(token), token.Spec.ProxyRef.Name);
    }

    /// <summary>The console kind; the validator refused every other name before a token is minted or stored again.</summary>
    public static ConsoleKind Kind(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return ConsoleKindNames.TryParse(token.Spec.Kind, out var kind, out _) ? kind : ConsoleKind.Vnc;
    }

    public static ConsoleTarget Target(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new ConsoleTarget(token.Spec.Target.Host, token.Spec.Target.Port);
    }

    /// <summary>
    /// Whether the token's sessions drop input: spec.viewOnly, or any share (spec.shareOf), which is view-only whatever
    /// its viewOnly says, so a share handed to a watcher can never type into the owner's console.
    /// </summary>
    public static bool ViewOnly(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Spec.ViewOnly || token.Spec.ShareOf is not null;
    }

    /// <summary>namespace/name, for logs.</summary>
    public static string Describe(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return $"{token.Metadata.NamespaceProperty}/{token.Metadata.Name}";
    }
}
