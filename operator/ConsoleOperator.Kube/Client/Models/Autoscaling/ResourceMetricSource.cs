using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>A cpu or memory metric.</summary>
public sealed record ResourceMetricSource
{
    public string Name { get; set; } = string.Empty;

    public MetricTarget Target { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
