using System.ComponentModel;

namespace ConsoleOperator.Api.Common;

/// <summary>CPU and memory requests and limits for a container, as in a Pod spec.</summary>
public sealed record ComputeResources
{
    [Description("Minimum resources the container is scheduled with, e.g. {cpu: 50m, memory: 64Mi}.")]
    public Dictionary<string, Quantity>? Requests { get; init; }

    [Description("Maximum resources the container may use.")]
    public Dictionary<string, Quantity>? Limits { get; init; }
}
