using System.ComponentModel;
using ConsoleOperator.Api.Common;

namespace ConsoleOperator.Api.Proxies;

/// <summary>A Redis the operator runs for this proxy: Deployment, Service and a generated password.</summary>
public sealed record ManagedTokenStoreSpec
{
    [Description("Redis image (default: the operator's built-in choice).")]
    public string? Image { get; init; }

    public ComputeResources? Resources { get; init; }
}
