using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>The PodDisruptionBudget that keeps consoles reachable during node drains.</summary>
public sealed record DisruptionBudgetSpec
{
    [Default(1)]
    [Range(0)]
    [Description("Proxy pods that must stay up during voluntary disruptions (default 1).")]
    public int MinAvailable { get; init; } = 1;
}
