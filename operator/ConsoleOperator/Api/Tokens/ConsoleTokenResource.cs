using k8s;
using k8s.Models;

namespace ConsoleOperator.Api.Tokens;

/// <summary>A `ConsoleToken`: creating one mints access to one VM console through one ConsoleProxy.</summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KindName, PluralName = "consoletokens")]
public sealed record ConsoleTokenResource : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "ConsoleToken";

    public string? ApiVersion { get; set; } = ApiGroup.ApiVersion;

    public string? Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    public ConsoleTokenSpec Spec { get; set; } = new();

    public ConsoleTokenStatus? Status { get; set; }
}
