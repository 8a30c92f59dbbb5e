using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>autoscaling/v2 spec. Without metrics the server defaults CPU utilization 80 (fixture 20/09).</summary>
public sealed record HorizontalPodAutoscalerSpec
{
    public CrossVersionObjectReference? ScaleTargetRef { get; set; }

    public int? MinReplicas { get; set; }

    public int MaxReplicas { get; set; }

    public List<MetricSpec>? Metrics { get; set; }

    public HorizontalPodAutoscalerBehavior? Behavior { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
