using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Policy;

/// <summary>Either minAvailable or maxUnavailable, as a count or a percentage.</summary>
public sealed record PodDisruptionBudgetSpec
{
    public IntOrString? MinAvailable { get; set; }

    public IntOrString? MaxUnavailable { get; set; }

    public LabelSelector? Selector { get; set; }

    public string? UnhealthyPodEvictionPolicy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
