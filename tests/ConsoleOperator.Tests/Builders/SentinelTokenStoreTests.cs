using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.Validation;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleOperator.Tests.Builders;

/// <summary>An external token store behind Redis Sentinel, with an ACL user: what the proxy pods are given.</summary>
public sealed class SentinelTokenStoreTests
{
    private static ConsoleProxyResource Sentinel(ExternalTokenStoreSpec? external = null)
    {
        var proxy = SampleProxies.Managed();
        return SampleProxies.With(proxy, proxy.Spec with
        {
            TokenStore = new TokenStoreSpec
            {
                External = external ?? new ExternalTokenStoreSpec
                {
                    Sentinel = new RedisSentinelSpec { MasterName = "consoles", Addresses = ["10.30.0.21:26379", "sentinels.corp.example:26379"], RedisPort = 6380 },
                    PasswordSecretRef = new SecretKeyReference { Name = "console-redis", Key = "password" },
                    UsernameSecretRef = new SecretKeyReference { Name = "console-redis", Key = "user" },
                },
            },
        });
    }

    [Fact]
    public void The_pods_are_told_the_sentinels_and_the_master_name_instead_of_an_address()
    {
        var data = SampleProxies.Configuration(Sentinel());

        Assert.Equal("10.30.0.21:26379,sentinels.corp.example:26379", data[ProxySettingsContract.RedisSentinel.EnvironmentVariable]);
        Assert.Equal("consoles", data[ProxySettingsContract.RedisMasterName.EnvironmentVariable]);
        Assert.False(data.ContainsKey(ProxySettingsContract.Redis.EnvironmentVariable));
    }

    [Fact]
    public void The_ACL_user_reaches_the_pods_from_its_Secret_beside_the_password_never_through_the_ConfigMap()
    {
        var proxy = Sentinel();
        var container = Assert.Single(SampleProxies.Deployment(proxy, SampleProxies.Defaults).Spec!.Template!.Spec!.Containers!);

        var user = Assert.Single(container.Env!, variable => variable.Name == ProxySettingsContract.RedisUser.EnvironmentVariable);
        Assert.Equal(("console-redis", "user"), (user.ValueFrom!.SecretKeyRef!.Name, user.ValueFrom.SecretKeyRef.Key));
        Assert.Contains(container.Env!, variable => variable.Name == ProxySettingsContract.RedisPassword.EnvironmentVariable);
        Assert.False(SampleProxies.Configuration(proxy).ContainsKey(ProxySettingsContract.RedisUser.EnvironmentVariable));
    }

    [Fact]
    public void The_network_policy_lets_the_pods_reach_each_sentinel_and_the_redis_nodes_port()
    {
        var egress = SampleProxies.NetworkPolicy(Sentinel()).Spec!.Egress!;

        Assert.Contains(egress, rule => rule.To?.SingleOrDefault()?.IpBlock?.Cidr == "10.30.0.21/32" && rule.Ports!.Single().Port?.Value == "26379");
        Assert.Contains(egress, rule => rule.To is null && rule.Ports!.Count == 1 && rule.Ports[0].Port?.Value == "26379");
        Assert.Contains(egress, rule => rule.To is null && rule.Ports!.Count == 1 && rule.Ports[0].Port?.Value == "6380");
    }

    [Fact]
    public void Address_and_sentinel_together_or_neither_are_refused_with_what_to_set()
    {
        var both = ConsoleProxyValidator.Validate(Sentinel(new ExternalTokenStoreSpec
        {
            Address = "10.30.0.15:6379",
            Sentinel = new RedisSentinelSpec { MasterName = "consoles", Addresses = ["10.30.0.21:26379"] },
        }));
        var neither = ConsoleProxyValidator.Validate(Sentinel(new ExternalTokenStoreSpec()));

        Assert.Contains(both, problem => problem.ToString().Contains("set exactly one of address: HOST:PORT (one Redis) or sentinel", StringComparison.Ordinal));
        Assert.Contains(neither, problem => problem.ToString().Contains("set exactly one of address: HOST:PORT (one Redis) or sentinel", StringComparison.Ordinal));
        Assert.Empty(ConsoleProxyValidator.Validate(Sentinel()));
    }
}
