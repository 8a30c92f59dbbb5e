using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>autoscaling/v2 status; currentMetrics may be null (a null list).</summary>
public sealed record HorizontalPodAutoscalerStatus
{
    public long? ObservedGeneration { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastScaleTime { get; set; }

    public int? CurrentReplicas { get; set; }

    public int DesiredReplicas { get; set; }

    public JsonElement? CurrentMetrics { get; set; }

    public JsonElement? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
