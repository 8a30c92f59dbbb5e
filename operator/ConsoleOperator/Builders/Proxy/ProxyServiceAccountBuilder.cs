using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// The proxy pods' own identity, with no API token mounted: the proxy never talks to Kubernetes, so a stolen
/// pod must not yield credentials (and RBAC bindings to the namespace's default account do not leak in).
/// </summary>
public static class ProxyServiceAccountBuilder
{
    public static V1ServiceAccount Build(ConsoleProxyResource proxy) => new()
    {
        Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).Proxy, Component.Proxy),
        AutomountServiceAccountToken = false,
    };
}
