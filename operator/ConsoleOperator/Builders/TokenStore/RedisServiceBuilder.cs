using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using k8s.Models;

namespace ConsoleOperator.Builders.TokenStore;

/// <summary>The in-cluster address of the managed Redis (`&lt;name&gt;-redis.&lt;namespace&gt;.svc:6379`).</summary>
public static class RedisServiceBuilder
{
    /// <summary>The Service, or null when the ConsoleProxy uses an external token store.</summary>
    public static V1Service? Build(ConsoleProxyResource proxy) => proxy.Spec.TokenStore.Managed is null ? null : new()
    {
        Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).Redis, Component.TokenStore),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = ObjectLabels.Selector(proxy.Metadata.Name!, Component.TokenStore),
            Ports = [new V1ServicePort { Name = RedisPort.Name, Protocol = "TCP", Port = RedisPort.Number, TargetPort = RedisPort.Name, AppProtocol = "redis" }],
        },
    };
}
