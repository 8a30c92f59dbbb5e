using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Policy;

/// <summary>Filled in by the disruption controller; zeros without one.</summary>
public sealed record PodDisruptionBudgetStatus
{
    public long? ObservedGeneration { get; set; }

    public int? DisruptionsAllowed { get; set; }

    public int? CurrentHealthy { get; set; }

    public int? DesiredHealthy { get; set; }

    public int? ExpectedPods { get; set; }

    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
