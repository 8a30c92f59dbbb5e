using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 ServiceAccount. No token secrets appear without the token controller.</summary>
public sealed record ServiceAccount : IKubernetesObject
{
    public const string KindName = "ServiceAccount";

    public const string GroupVersion = "v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public bool? AutomountServiceAccountToken { get; set; }

    public List<ObjectReference>? Secrets { get; set; }

    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
