using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 Secret. stringData is write-only: the server merges it into data (stringData wins) and never returns it (fixture 15).</summary>
public sealed record Secret : IKubernetesObject
{
    public const string KindName = "Secret";

    public const string GroupVersion = "v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public bool? Immutable { get; set; }

    public string? Type { get; set; }

    public Dictionary<string,string>? Data { get; set; }

    public Dictionary<string,string>? StringData { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
