using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Kinds;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TokenStore;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Targets;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// Fences the proxy pods in: anyone may reach the proxy port (browsers, ingress controllers, load balancers), and
/// the pods may reach only their token store, DNS, and the networks and ports of spec.tokens.allowedTargets. So
/// even a flaw in the proxy cannot turn it into a relay into the rest of the network.
/// </summary>
public static class ProxyNetworkPolicyBuilder
{
    public const int DnsPort = 53;

    /// <summary>The policy; spec.tokens.allowedTargets must have passed <c>ConsoleProxyValidator</c>.</summary>
    public static V1NetworkPolicy Build(ConsoleProxyResource proxy, TokenStoreEndpoint store)
    {
        var names = ConsoleProxyNames.For(proxy);
        var egress = new List<V1NetworkPolicyEgressRule>(TokenStoreRules(proxy, store))
        {
            // DNS anywhere: node-local caches (169.254.20.10) and cluster DNS live at addresses no selector can name.
            new()
            {
                Ports =
                [
                    new V1NetworkPolicyPort { Protocol = "UDP", Port = DnsPort },
                    new V1NetworkPolicyPort { Protocol = "TCP", Port = DnsPort },
                ],
            },
        };
        egress.AddRange(ProxyKinds.TargetPolicyFor(proxy.Spec, ConsoleKind.Vnc).Entries.Select(TargetRule));
        // Serial and SPICE consoles are relayed to ports the VNC list does not cover.
        foreach (var kind in ProxyKinds.WithOwnTargets)
        {
            if (ProxyKinds.AllowedTargets(proxy.Spec, kind) is { Count: > 0 })
            {
                egress.AddRange(ProxyKinds.TargetPolicyFor(proxy.Spec, kind).Entries.Select(TargetRule));
            }
        }

        return new V1NetworkPolicy
        {
            Metadata = OwnedObjectMetadata.Create(proxy, names.Proxy, Component.Proxy),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = ObjectLabels.Selector(names.ProxyName, Component.Proxy) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = ProxyPod.ContainerPort }] }],
                Egress = egress,
            },
        };
    }

    private static IEnumerable<V1NetworkPolicyEgressRule> TokenStoreRules(ConsoleProxyResource proxy, TokenStoreEndpoint store)
    {
        if (store.IsManaged)
        {
            return
            [
                new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = ObjectLabels.Selector(proxy.Metadata.Name!, Component.TokenStore) } }],
                    Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = RedisPort.Number }],
                },
            ];
        }

        if (store.Sentinel is { } sentinel)
        {
            // Each sentinel, and the Redis nodes they name: those move with failovers, so only their port is pinned.
            return
            [
                .. sentinel.Addresses.Select(AddressRule),
                new V1NetworkPolicyEgressRule { Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = sentinel.RedisPort }] },
            ];
        }

        return [AddressRule(store.Address)];
    }

    private static V1NetworkPolicyEgressRule AddressRule(string hostAndPort)
    {
        var address = ConsoleTarget.Parse(hostAndPort);
        var port = new V1NetworkPolicyPort { Protocol = "TCP", Port = address.Port };

        // A DNS name may resolve to any address; NetworkPolicy cannot follow it, so only the port can be pinned.
        return IPAddress.TryParse(address.Host, out var ip)
            ? new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = HostCidr(ip) } }], Ports = [port] }
            : new V1NetworkPolicyEgressRule { Ports = [port] };
    }

    private static V1NetworkPolicyEgressRule TargetRule(AllowedTarget target) => new()
    {
        To = [new V1NetworkPolicyPeer { IpBlock = TargetBlock(target) }],
        Ports =
        [
            target.Ports.IsAll
                ? new V1NetworkPolicyPort { Protocol = "TCP" }
                : new V1NetworkPolicyPort
                {
                    Protocol = "TCP",
                    Port = target.Ports.First,
                    EndPort = target.Ports.Last > target.Ports.First ? target.Ports.Last : null,
                },
        ],
    };

    /// <summary>
    /// The entry's network, less the guarded networks (link-local metadata services, loopback) it covers without
    /// naming them: the proxy refuses those addresses anyway, and the NetworkPolicy says the same.
    /// </summary>
    private static V1IPBlock TargetBlock(AllowedTarget target)
    {
        var excepted = GuardedNetworks.All.Where(guarded => target.Covers(guarded) && !guarded.Covers(target)).Select(Cidr).ToList();
        return new V1IPBlock { Cidr = Cidr(target), Except = excepted.Count > 0 ? excepted : null };
    }

    private static string Cidr(AllowedTarget network) => $"{network.Network}/{network.PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static string HostCidr(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"{address}/128" : $"{address}/32";
    }
}
