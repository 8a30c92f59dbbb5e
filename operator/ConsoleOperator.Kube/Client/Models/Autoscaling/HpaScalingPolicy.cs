using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>Pods or Percent per period.</summary>
public sealed record HpaScalingPolicy
{
    public string Type { get; set; } = string.Empty;

    public int Value { get; set; }

    public int PeriodSeconds { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
