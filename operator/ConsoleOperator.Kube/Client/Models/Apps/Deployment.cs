using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Apps;

/// <summary>apps/v1 Deployment. Annotation changes bump generation too (fixture 08/10).</summary>
public sealed record Deployment : IKubernetesObject
{
    public const string KindName = "Deployment";

    public const string GroupVersion = "apps/v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public DeploymentSpec? Spec { get; set; }

    public DeploymentStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
