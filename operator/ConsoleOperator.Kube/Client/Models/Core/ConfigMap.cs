using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 ConfigMap: configuration as text (data) or bytes (binaryData, base64 on the wire).</summary>
public sealed record ConfigMap : IKubernetesObject
{
    public const string KindName = "ConfigMap";

    public const string GroupVersion = "v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public bool? Immutable { get; set; }

    public Dictionary<string,string>? Data { get; set; }

    public Dictionary<string,string>? BinaryData { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
