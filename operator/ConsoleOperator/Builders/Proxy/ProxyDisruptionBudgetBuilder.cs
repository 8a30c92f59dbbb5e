using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>Keeps at least spec.podDisruptionBudget.minAvailable proxy pods up while nodes are drained.</summary>
public static class ProxyDisruptionBudgetBuilder
{
    public static V1PodDisruptionBudget Build(ConsoleProxyResource proxy) => new()
    {
        Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).Proxy, Component.Proxy),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = (proxy.Spec.PodDisruptionBudget ?? new DisruptionBudgetSpec()).MinAvailable,
            Selector = new V1LabelSelector { MatchLabels = ObjectLabels.Selector(proxy.Metadata.Name!, Component.Proxy) },
            // A pod that never became ready serves no console; letting the eviction through unblocks node drains.
            UnhealthyPodEvictionPolicy = "AlwaysAllow",
        },
    };
}
