using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>metav1.Condition: <c>status</c> is "True", "False" or "Unknown"; lastTransitionTime is a metav1.Time.</summary>
public sealed record Condition
{
    public string Type { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public long? ObservedGeneration { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
