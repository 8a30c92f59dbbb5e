using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>A HorizontalPodAutoscaler for the proxy pods; replicas is then its starting point only.</summary>
[ValidationRule("self.minReplicas <= self.maxReplicas", "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")]
public sealed record AutoscalingSpec
{
    [Default(2)]
    [Range(1)]
    public int MinReplicas { get; init; } = 2;

    [Required]
    [Range(1)]
    public int MaxReplicas { get; init; }

    [Default(70)]
    [Range(1, 100)]
    [Description("Average CPU utilisation (percent of requests) the autoscaler aims for.")]
    public int TargetCPUUtilizationPercentage { get; init; } = 70;
}
