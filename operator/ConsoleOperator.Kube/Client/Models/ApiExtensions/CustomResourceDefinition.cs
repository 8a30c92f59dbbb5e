using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>apiextensions.k8s.io/v1 CRD. The create response has no conditions: poll for Established (fixture 02).</summary>
public sealed record CustomResourceDefinition : IKubernetesObject
{
    public const string KindName = "CustomResourceDefinition";

    public const string GroupVersion = "apiextensions.k8s.io/v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public CustomResourceDefinitionSpec? Spec { get; set; }

    public CustomResourceDefinitionStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
