using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>Scales the proxy Deployment on CPU, only when spec.autoscaling asks for it.</summary>
public static class ProxyAutoscalerBuilder
{
    /// <summary>The HorizontalPodAutoscaler, or null when the ConsoleProxy has no spec.autoscaling.</summary>
    public static V2HorizontalPodAutoscaler? Build(ConsoleProxyResource proxy)
    {
        if (proxy.Spec.Autoscaling is not { } autoscaling)
        {
            return null;
        }

        var name = ConsoleProxyNames.For(proxy).Proxy;
        return new V2HorizontalPodAutoscaler
        {
            Metadata = OwnedObjectMetadata.Create(proxy, name, Component.Proxy),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = V1Deployment.KubeKind, Name = name },
                MinReplicas = autoscaling.MinReplicas,
                MaxReplicas = autoscaling.MaxReplicas,
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = autoscaling.TargetCPUUtilizationPercentage },
                        },
                    },
                ],
            },
        };
    }
}
