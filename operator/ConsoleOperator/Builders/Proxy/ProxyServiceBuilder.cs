using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Kinds;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleProxy.Tokens.Kinds;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// The Service users' browsers (or the ingress in front) reach the proxy pods through. clusterIP is never set:
/// the server allocates it and keeps it across applies.
/// </summary>
public static class ProxyServiceBuilder
{
    public static V1Service Build(ConsoleProxyResource proxy)
    {
        var service = proxy.Spec.Service ?? new ProxyServiceSpec();
        var annotations = service.Annotations is { Count: > 0 }
            ? new Dictionary<string, string>(service.Annotations, StringComparer.Ordinal)
            : null;
        return new V1Service
        {
            Metadata = OwnedObjectMetadata.Create(proxy, ConsoleProxyNames.For(proxy).Proxy, Component.Proxy, annotations),
            Spec = new V1ServiceSpec
            {
                Type = service.Type.ToString(),
                Selector = ObjectLabels.Selector(proxy.Metadata.Name!, Component.Proxy),
                // A single-use SPICE token admits the client's other channels for 10 s in the memory of the pod that
                // consumed it: the channels must reach that same pod.
                SessionAffinity = ProxyKinds.Serves(proxy.Spec, ConsoleKind.Spice) ? "ClientIP" : null,
                Ports =
                [
                    new V1ServicePort
                    {
                        Name = ProxyPod.PortName,
                        Protocol = "TCP",
                        Port = service.Port,
                        TargetPort = ProxyPod.PortName,
                        AppProtocol = proxy.Spec.Tls is null ? "http" : "https",
                    },
                ],
            },
        };
    }
}
