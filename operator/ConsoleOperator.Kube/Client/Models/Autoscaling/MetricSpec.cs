using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>One metric; Resource is typed, the other sources survive as JSON.</summary>
public sealed record MetricSpec
{
    public string Type { get; set; } = string.Empty;

    public ResourceMetricSource? Resource { get; set; }

    public JsonElement? ContainerResource { get; set; }

    public JsonElement? Pods { get; set; }

    public JsonElement? Object { get; set; }

    public JsonElement? External { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
