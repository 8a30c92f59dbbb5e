using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Coordination;

/// <summary>coordination.k8s.io/v1 Lease, the leader-election lock. Times are MicroTime.</summary>
public sealed record Lease : IKubernetesObject
{
    public const string KindName = "Lease";

    public const string GroupVersion = "coordination.k8s.io/v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public LeaseSpec? Spec { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
