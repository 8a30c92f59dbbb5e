using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>Scale-up and scale-down rules; a partly given behavior is completed by the server (fixture 20/08).</summary>
public sealed record HorizontalPodAutoscalerBehavior
{
    public HpaScalingRules? ScaleUp { get; set; }

    public HpaScalingRules? ScaleDown { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
