using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Kube.Client.Models.Apps;
using ConsoleOperator.Kube.Client.Models.Autoscaling;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>Scales the proxy Deployment on CPU, only when spec.autoscaling asks for it.</summary>
public static class ProxyAutoscalerBuilder
{
    /// <summary>The HorizontalPodAutoscaler, or null when the ConsoleProxy has no spec.autoscaling.</summary>
    public static HorizontalPodAutoscaler? Build(ConsoleProxyResource proxy)
    {
        if (proxy.Spec.Autoscaling is not { } autoscaling)
        {
            return null;
        }

        var name = ConsoleProxyNames.For(proxy).Proxy;
        return new HorizontalPodAutoscaler
        {
            Metadata = OwnedObjectMetadata.Create(proxy, name, Component.Proxy),
            Spec = new HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new CrossVersionObjectReference { ApiVersion = Deployment.GroupVersion, Kind = Deployment.KindName, Name = name },
                MinReplicas = autoscaling.MinReplicas,
                MaxReplicas = autoscaling.MaxReplicas,
                Metrics =
                [
                    new MetricSpec
                    {
                        Type = "Resource",
                        Resource = new ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new MetricTarget { Type = "Utilization", AverageUtilization = autoscaling.TargetCPUUtilizationPercentage },
                        },
                    },
                ],
            },
        };
    }
}
