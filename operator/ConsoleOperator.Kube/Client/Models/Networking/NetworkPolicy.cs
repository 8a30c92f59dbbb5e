using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>networking.k8s.io/v1 NetworkPolicy. policyTypes is derived when omitted.</summary>
public sealed record NetworkPolicy : IKubernetesObject
{
    public const string KindName = "NetworkPolicy";

    public const string GroupVersion = "networking.k8s.io/v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public NetworkPolicySpec? Spec { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
