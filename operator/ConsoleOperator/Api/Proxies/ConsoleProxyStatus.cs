using System.ComponentModel;
using ConsoleOperator.Crds.Schema;
using k8s.Models;

namespace ConsoleOperator.Api.Proxies;

/// <summary>What the operator observed of the fleet it runs for a ConsoleProxy.</summary>
public sealed record ConsoleProxyStatus
{
    [Description("The spec generation this status describes.")]
    public long? ObservedGeneration { get; init; }

    [Description("Proxy pods that exist.")]
    public int? Replicas { get; init; }

    [Description("Proxy pods that are ready to serve consoles.")]
    public int? ReadyReplicas { get; init; }

    [Description("Base URL users open consoles at (the spec's publicURL).")]
    public string? Url { get; init; }

    [Description("Live console sessions across every proxy pod, as of the operator's last session sweep.")]
    public int? ActiveSessions { get; init; }

    [ListMap("type")]
    [Description("Ready, Progressing, Degraded and TokenStoreReady, with reasons a person can act on.")]
    public List<V1Condition>? Conditions { get; init; }
}
