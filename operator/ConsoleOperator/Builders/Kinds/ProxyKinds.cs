using ConsoleOperator.Api.Proxies;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;

namespace ConsoleOperator.Builders.Kinds;

/// <summary>What a ConsoleProxy serves, read once from its spec: the kinds of console and each kind's allowed targets.</summary>
public static class ProxyKinds
{
    /// <summary>The kinds in spec.kinds, or VNC alone when it says none. Names the schema does not allow are skipped.</summary>
    public static IReadOnlyList<ConsoleKind> Of(ConsoleProxySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kinds is not { Count: > 0 } names)
        {
            return [ConsoleKind.Vnc];
        }

        return [.. names.Select(name => ConsoleKindNames.TryParse(name, out var kind, out _) ? kind : (ConsoleKind?)null).OfType<ConsoleKind>().Distinct()];
    }

    /// <summary>The kinds with allowed targets of their own beside VNC's spec.tokens.allowedTargets.</summary>
    public static IReadOnlyList<ConsoleKind> WithOwnTargets { get; } = [ConsoleKind.Serial, ConsoleKind.Spice];

    public static bool Serves(ConsoleProxySpec spec, ConsoleKind kind) => Of(spec).Contains(kind);

    /// <summary>The allowed targets of a kind: spec.tokens.allowedTargets for VNC, serialAllowedTargets for serial.</summary>
    public static IReadOnlyList<string> AllowedTargets(ConsoleProxySpec spec, ConsoleKind kind)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return kind switch
        {
            ConsoleKind.Vnc => spec.Tokens.AllowedTargets,
            ConsoleKind.Serial => spec.Tokens.SerialAllowedTargets ?? [],
            ConsoleKind.Spice => spec.Tokens.SpiceAllowedTargets ?? [],
            _ => [],
        };
    }

    /// <summary>
    /// A kind's allowed targets parsed, with spec.tokens.allowWideTargetNetworks: the one place the operator parses
    /// them (the NetworkPolicy's egress and a ConsoleToken's target check). Throws <see cref="FormatException"/>
    /// naming a bad entry, which the ConsoleProxy's validation refuses first.
    /// </summary>
    public static TargetPolicy TargetPolicyFor(ConsoleProxySpec spec, ConsoleKind kind) =>
        TargetPolicy.From(ParsedTargets(spec, kind), spec.Tokens.AllowWideTargetNetworks);

    /// <summary>
    /// A kind's allowed targets parsed by the contract's parser (what the proxy pods are given); throws
    /// <see cref="FormatException"/> naming every bad entry, which the ConsoleProxy's validation refuses first.
    /// </summary>
    public static PolicyList<AllowedTarget> ParsedTargets(ConsoleProxySpec spec, ConsoleKind kind) =>
        PolicyList.Parse<AllowedTarget>(AllowedTargets(spec, kind));

    /// <summary>The spec field that lists a kind's allowed targets, for messages.</summary>
    public static string AllowedTargetsField(ConsoleKind kind) => kind switch
    {
        ConsoleKind.Serial => "spec.tokens.serialAllowedTargets",
        ConsoleKind.Spice => "spec.tokens.spiceAllowedTargets",
        _ => "spec.tokens.allowedTargets",
    };
}
