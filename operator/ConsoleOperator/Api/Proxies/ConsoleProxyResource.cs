using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Api.Proxies;

/// <summary>A `ConsoleProxy`: a fleet of console proxy pods with their token store.</summary>
public sealed record ConsoleProxyResource : IKubernetesObject
{
    public const string KindName = "ConsoleProxy";

    public string? ApiVersion { get; set; } = ApiGroup.ApiVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public ConsoleProxySpec Spec { get; set; } = new();

    public ConsoleProxyStatus? Status { get; set; }
}
