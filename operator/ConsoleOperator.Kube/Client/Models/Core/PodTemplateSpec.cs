using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>The pod template of a workload. The server returns metadata.creationTimestamp: null here.</summary>
public sealed record PodTemplateSpec
{
    public ObjectMeta? Metadata { get; set; }

    public PodSpec? Spec { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
