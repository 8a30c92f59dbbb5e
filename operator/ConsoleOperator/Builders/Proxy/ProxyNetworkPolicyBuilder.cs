using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Models.Networking;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Targets;

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
    public static NetworkPolicy Build(ConsoleProxyResource proxy)
    {
        var names = ConsoleProxyNames.For(proxy);
        var egress = new List<NetworkPolicyEgressRule>(TokenStoreRules(proxy, TokenStoreEndpoint.For(proxy)))
        {
            // DNS anywhere: node-local caches (169.254.20.10) and cluster DNS live at addresses no selector can name.
            new()
            {
                Ports =
                [
                    new NetworkPolicyPort { Protocol = "UDP", Port = DnsPort },
                    new NetworkPolicyPort { Protocol = "TCP", Port = DnsPort },
                ],
            },
        };
        egress.AddRange(TargetPolicy.Parse(proxy.Spec.Tokens.AllowedTargets, proxy.Spec.Tokens.AllowWideTargetNetworks).Entries.Select(TargetRule));

        return new NetworkPolicy
        {
            Metadata = OwnedObjectMetadata.Create(proxy, names.Proxy, Component.Proxy),
            Spec = new NetworkPolicySpec
            {
                PodSelector = new LabelSelector { MatchLabels = ObjectLabels.Selector(names.ProxyName, Component.Proxy) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new NetworkPolicyIngressRule { Ports = [new NetworkPolicyPort { Protocol = "TCP", Port = ProxyPod.ContainerPort }] }],
                Egress = egress,
            },
        };
    }

    private static IEnumerable<NetworkPolicyEgressRule> TokenStoreRules(ConsoleProxyResource proxy, TokenStoreEndpoint store)
    {
        if (store.IsManaged)
        {
            return
            [
                new NetworkPolicyEgressRule
                {
                    To = [new NetworkPolicyPeer { PodSelector = new LabelSelector { MatchLabels = ObjectLabels.Selector(proxy.Metadata.Name!, Component.TokenStore) } }],
                    Ports = [new NetworkPolicyPort { Protocol = "TCP", Port = RedisPort.Number }],
                },
            ];
        }

        if (store.Sentinel is { } sentinel)
        {
            // Each sentinel, and the Redis nodes they name: those move with failovers, so only their port is pinned.
            return
            [
                .. sentinel.Addresses.Select(AddressRule),
                new NetworkPolicyEgressRule { Ports = [new NetworkPolicyPort { Protocol = "TCP", Port = sentinel.RedisPort }] },
            ];
        }

        return [AddressRule(store.Address)];
    }

    private static NetworkPolicyEgressRule AddressRule(string hostAndPort)
    {
        var address = ConsoleTarget.Parse(hostAndPort);
        var port = new NetworkPolicyPort { Protocol = "TCP", Port = address.Port };

        // A DNS name may resolve to any address; NetworkPolicy cannot follow it, so only the port can be pinned.
        return IPAddress.TryParse(address.Host, out var ip)
            ? new NetworkPolicyEgressRule { To = [new NetworkPolicyPeer { IpBlock = new IpBlock { Cidr = HostCidr(ip) } }], Ports = [port] }
            : new NetworkPolicyEgressRule { Ports = [port] };
    }

    private static NetworkPolicyEgressRule TargetRule(AllowedTarget target) => new()
    {
        To = [new NetworkPolicyPeer { IpBlock = TargetBlock(target) }],
        Ports =
        [
            target.Ports.IsAll
                ? new NetworkPolicyPort { Protocol = "TCP" }
                : new NetworkPolicyPort
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
    private static IpBlock TargetBlock(AllowedTarget target)
    {
        var excepted = GuardedNetworks.All.Where(guarded => target.Covers(guarded) && !guarded.Covers(target)).Select(Cidr).ToList();
        return new IpBlock { Cidr = Cidr(target), Except = excepted.Count > 0 ? excepted : null };
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
