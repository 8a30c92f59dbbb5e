using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Api.Tokens;

/// <summary>A `ConsoleToken`: creating one mints access to one VM console through one ConsoleProxy.</summary>
public sealed record ConsoleTokenResource : IKubernetesObject
{
    public const string KindName = "ConsoleToken";

    public string? ApiVersion { get; set; } = ApiGroup.ApiVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public ConsoleTokenSpec Spec { get; set; } = new();

    public ConsoleTokenStatus? Status { get; set; }
}
