using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 Namespace. Deletion leaves it Terminating until spec.finalizers empties (fixture 23).</summary>
public sealed record Namespace : IKubernetesObject
{
    public const string KindName = "Namespace";

    public const string GroupVersion = "v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public NamespaceSpec? Spec { get; set; }

    public NamespaceStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
