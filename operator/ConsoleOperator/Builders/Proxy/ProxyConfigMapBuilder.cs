using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleProxy.Tokens.Settings;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>The proxy's configuration, as the `CONSOLEPROXY_*` variables the pods load with envFrom.</summary>
public static class ProxyConfigMapBuilder
{
    public static V1ConfigMap Build(ConsoleProxyResource proxy, ProxySettings settings) => new()
    {
        Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).Proxy, Component.Proxy),
        Data = new Dictionary<string, string>(settings.ToEnvironment(), StringComparer.Ordinal),
    };
}
