using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Policy;

/// <summary>policy/v1 PodDisruptionBudget.</summary>
public sealed record PodDisruptionBudget : IKubernetesObject
{
    public const string KindName = "PodDisruptionBudget";

    public const string GroupVersion = "policy/v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public PodDisruptionBudgetSpec? Spec { get; set; }

    public PodDisruptionBudgetStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
