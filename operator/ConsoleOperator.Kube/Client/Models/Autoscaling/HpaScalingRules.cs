using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>autoscaling/v2 HPAScalingRules.</summary>
public sealed record HpaScalingRules
{
    public int? StabilizationWindowSeconds { get; set; }

    public string? SelectPolicy { get; set; }

    public List<HpaScalingPolicy>? Policies { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
