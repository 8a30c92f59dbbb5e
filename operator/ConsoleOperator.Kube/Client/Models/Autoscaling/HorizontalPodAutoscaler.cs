using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>autoscaling/v2 HorizontalPodAutoscaler.</summary>
public sealed record HorizontalPodAutoscaler : IKubernetesObject
{
    public const string KindName = "HorizontalPodAutoscaler";

    public const string GroupVersion = "autoscaling/v2";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public HorizontalPodAutoscalerSpec? Spec { get; set; }

    public HorizontalPodAutoscalerStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
