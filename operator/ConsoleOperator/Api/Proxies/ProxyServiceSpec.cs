using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>The Service in front of the proxy pods.</summary>
public sealed record ProxyServiceSpec
{
    [Default("ClusterIP")]
    [Description("ClusterIP (default), NodePort or LoadBalancer.")]
    public ServiceType Type { get; init; } = ServiceType.ClusterIP;

    [Default(6080)]
    [Range(1, 65535)]
    [Description("Service port; nova-novncproxy's default is 6080.")]
    public int Port { get; init; } = 6080;

    [Description("Annotations for the Service, e.g. for a cloud load balancer.")]
    public Dictionary<string, string>? Annotations { get; init; }
}
