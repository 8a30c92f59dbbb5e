using k8s;
using k8s.Models;

namespace ConsoleOperator.Api.Proxies;

/// <summary>A `ConsoleProxy`: a fleet of console proxy pods with their token store.</summary>
[KubernetesEntity(Group = ApiGroup.Name, ApiVersion = ApiGroup.Version, Kind = KindName, PluralName = "consoleproxies")]
public sealed record ConsoleProxyResource : IKubernetesObject<V1ObjectMeta>
{
    public const string KindName = "ConsoleProxy";

    public string? ApiVersion { get; set; } = ApiGroup.ApiVersion;

    public string? Kind { get; set; } = KindName;

    public V1ObjectMeta Metadata { get; set; } = new();

    public ConsoleProxySpec Spec { get; set; } = new();

    public ConsoleProxyStatus? Status { get; set; }
}
