using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>A CRD condition; unlike metav1.Condition it has no observedGeneration.</summary>
public sealed record CustomResourceDefinitionCondition
{
    public string Type { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
