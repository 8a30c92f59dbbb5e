using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleProxy.Tokens.Settings;
using k8s.Models;

namespace ConsoleOperator.Tests.Builders;

public sealed class ProxyNetworkPolicyTests
{
    private static V1NetworkPolicySpec Build(ConsoleProxyResource proxy) => SampleProxies.NetworkPolicy(proxy).Spec!;

    private static ConsoleProxyResource WithTargets(params string[] targets)
    {
        var proxy = SampleProxies.Managed();
        return SampleProxies.With(proxy, proxy.Spec with { Tokens = proxy.Spec.Tokens with { AllowedTargets = [.. targets] } });
    }

    private static List<V1NetworkPolicyEgressRule> TargetRules(V1NetworkPolicySpec spec) =>
        [.. spec.Egress!.Where(rule => rule.To is { } to && to.Any(peer => peer.IpBlock is not null))];

    [Fact]
    public void Selects_the_proxy_pods_and_restricts_both_directions()
    {
        var spec = Build(SampleProxies.Managed());

        Assert.Equal("proxy", spec.PodSelector.MatchLabels!["app.kubernetes.io/component"]);
        Assert.Equal(["Ingress", "Egress"], spec.PolicyTypes);
    }

    [Fact]
    public void Ingress_is_open_to_the_proxy_port_only()
    {
        var ingress = Assert.Single(Build(SampleProxies.Managed()).Ingress!);

        Assert.Null(ingress.FromProperty);
        var port = Assert.Single(ingress.Ports!);
        Assert.Equal("6080", port.Port!.Value);
        Assert.Equal("TCP", port.Protocol);
    }

    [Fact]
    public void A_managed_store_is_reached_through_its_pod_labels_on_the_redis_port()
    {
        var rule = Build(SampleProxies.Managed()).Egress![0];

        var peer = Assert.Single(rule.To!);
        Assert.Equal("token-store", peer.PodSelector!.MatchLabels!["app.kubernetes.io/component"]);
        Assert.Equal("console", peer.PodSelector.MatchLabels["app.kubernetes.io/instance"]);
        Assert.Equal("6379", Assert.Single(rule.Ports!).Port!.Value);
    }

    [Theory]
    [InlineData("10.30.0.15:6379", "10.30.0.15/32", 6379)]
    [InlineData("[fd00::15]:6380", "fd00::15/128", 6380)]
    public void An_external_store_at_an_ip_is_pinned_to_that_address_and_port(string address, string cidr, int port)
    {
        var rule = Build(SampleProxies.External(address)).Egress![0];

        Assert.Equal(cidr, Assert.Single(rule.To!).IpBlock!.Cidr);
        Assert.Equal($"{port}", Assert.Single(rule.Ports!).Port!.Value);
    }

    [Fact]
    public void An_external_store_by_dns_name_can_only_be_pinned_to_its_port()
    {
        var rule = Build(SampleProxies.External("redis.corp.example:6390")).Egress![0];

        Assert.Null(rule.To);
        Assert.Equal("6390", Assert.Single(rule.Ports!).Port!.Value);
    }

    [Fact]
    public void Dns_is_allowed_over_udp_and_tcp()
    {
        var dns = Assert.Single(Build(SampleProxies.Managed()).Egress!, rule => rule.Ports!.Any(port => port.Port?.Value == "53"));

        Assert.Null(dns.To);
        Assert.Equal(["UDP", "TCP"], dns.Ports!.Select(port => port.Protocol));
    }

    [Fact]
    public void Each_allowed_target_becomes_an_egress_rule_for_its_network_and_ports()
    {
        var rules = TargetRules(Build(WithTargets("10.20.0.0/16:5900-5999", "192.168.7.9:5901", "[fd00:20::]/48:5900", "172.16.0.0/12")));

        Assert.Equal(4, rules.Count);
        Assert.Equal("10.20.0.0/16", rules[0].To![0].IpBlock!.Cidr);
        Assert.Equal("5900", rules[0].Ports![0].Port!.Value);
        Assert.Equal(5999, rules[0].Ports![0].EndPort);
        Assert.Equal("192.168.7.9/32", rules[1].To![0].IpBlock!.Cidr);
        Assert.Equal("5901", rules[1].Ports![0].Port!.Value);
        Assert.Null(rules[1].Ports![0].EndPort);
        Assert.Equal("fd00:20::/48", rules[2].To![0].IpBlock!.Cidr);
        Assert.Equal("172.16.0.0/12", rules[3].To![0].IpBlock!.Cidr);
        Assert.Null(rules[3].Ports![0].Port);
        Assert.Equal("TCP", rules[3].Ports![0].Protocol);
    }

    [Fact]
    public void A_wide_network_excepts_the_loopback_and_link_local_networks_it_covers()
    {
        var proxy = SampleProxies.Managed();
        var wide = SampleProxies.With(proxy, proxy.Spec with
        {
            Tokens = proxy.Spec.Tokens with { AllowedTargets = ["0.0.0.0/0:5900-5999", "::/0:5900", "169.254.169.254:80", "10.0.0.0/8"], AllowWideTargetNetworks = true },
        });

        var rules = TargetRules(Build(wide));

        Assert.Equal(["0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16"], rules[0].To![0].IpBlock!.Except);
        Assert.Equal(["::/128", "::1/128", "fe80::/10"], rules[1].To![0].IpBlock!.Except);
        Assert.Null(rules[2].To![0].IpBlock!.Except);
        Assert.Null(rules[3].To![0].IpBlock!.Except);
    }

    [Fact]
    public void Nothing_else_is_reachable()
    {
        var spec = Build(WithTargets("10.20.0.0/16:5900-5999"));

        // token store, DNS, one target: an egress rule with neither peers nor ports would open everything.
        Assert.Equal(3, spec.Egress!.Count);
        Assert.All(spec.Egress, rule => Assert.NotNull(rule.Ports));
    }

    [Fact]
    public void Serial_allowed_targets_are_egress_rules_too_and_the_pods_are_told_the_kinds()
    {
        var managed = SampleProxies.Managed();
        var proxy = SampleProxies.With(managed, managed.Spec with
        {
            Kinds = ["vnc", "serial"],
            Tokens = managed.Spec.Tokens with { SerialAllowedTargets = ["10.40.0.0/16:10000-20000"] },
        });

        var egress = SampleProxies.NetworkPolicy(proxy).Spec!.Egress!;
        var data = SampleProxies.Configuration(proxy);

        Assert.Contains(egress, rule => rule.To?.SingleOrDefault()?.IpBlock?.Cidr == "10.40.0.0/16" && rule.Ports!.Single().Port?.Value == "10000" && rule.Ports![0].EndPort == 20000);
        Assert.Equal("vnc,serial", data[ProxySettingsContract.Kinds.EnvironmentVariable]);
        Assert.Equal("10.40.0.0/16:10000-20000", data[ProxySettingsContract.SerialAllowedTarget.EnvironmentVariable]);
        Assert.False(SampleProxies.Configuration(managed).ContainsKey(ProxySettingsContract.Kinds.EnvironmentVariable));
    }

    [Fact]
    public void A_spice_proxy_opens_egress_to_the_spice_ports_and_keeps_a_client_on_one_pod()
    {
        var managed = SampleProxies.Managed();
        var proxy = SampleProxies.With(managed, managed.Spec with
        {
            Kinds = ["vnc", "spice"],
            Tokens = managed.Spec.Tokens with { SpiceAllowedTargets = ["10.50.0.0/16:6000-6999"] },
        });

        var egress = SampleProxies.NetworkPolicy(proxy).Spec!.Egress!;

        Assert.Contains(egress, rule => rule.To?.SingleOrDefault()?.IpBlock?.Cidr == "10.50.0.0/16" && rule.Ports!.Single().Port?.Value == "6000");
        Assert.Equal("10.50.0.0/16:6000-6999", SampleProxies.Configuration(proxy)[ProxySettingsContract.SpiceAllowedTarget.EnvironmentVariable]);
        Assert.Equal("ClientIP", ProxyServiceBuilder.Build(proxy).Spec!.SessionAffinity);
        Assert.Null(ProxyServiceBuilder.Build(managed).Spec!.SessionAffinity);
    }
}
