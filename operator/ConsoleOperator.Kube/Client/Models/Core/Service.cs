using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 Service. clusterIP is allocated by the server and kept when omitted (fixture 09): never send it.</summary>
public sealed record Service : IKubernetesObject
{
    public const string KindName = "Service";

    public const string GroupVersion = "v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public ServiceSpec? Spec { get; set; }

    public ServiceStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
