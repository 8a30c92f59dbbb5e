using TestKit.Repository;
using System.Text.RegularExpressions;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;

namespace ConsoleOperator.Tests.Builders;

public sealed partial class ProxyConfigurationTests
{
    [Fact]
    public void Managed_store_points_the_proxy_at_the_managed_redis_service_with_a_per_proxy_key_prefix()
    {
        var data = ProxyConfigMapBuilder.Build(SampleProxies.Managed()).Data!;

        Assert.Equal("console-redis.consoles.svc:6379", data[ProxyEnvironment.Redis]);
        Assert.Equal("false", data[ProxyEnvironment.RedisTls]);
        Assert.Equal("consoleproxy:consoles:console:", data[ProxyEnvironment.KeyPrefix]);
        Assert.Equal("6080", data[ProxyEnvironment.Port]);
        Assert.Equal("10.20.0.0/16:5900-5999", data[ProxyEnvironment.AllowedTarget]);
        Assert.Equal("25", data[ProxyEnvironment.DrainTimeout]);
        Assert.Equal("consoles/console", data[ProxyEnvironment.Name]);
    }

    [Fact]
    public void External_store_uses_its_address_and_tls_flag()
    {
        var data = ProxyConfigMapBuilder.Build(SampleProxies.External("[fd00::15]:6380", tls: true)).Data!;

        Assert.Equal("[fd00::15]:6380", data[ProxyEnvironment.Redis]);
        Assert.Equal("true", data[ProxyEnvironment.RedisTls]);
    }

    [Fact]
    public void The_password_is_never_in_the_config_map()
    {
        var data = ProxyConfigMapBuilder.Build(SampleProxies.Managed()).Data!;

        Assert.DoesNotContain(ProxyEnvironment.RedisPassword, data.Keys);
    }

    [Fact]
    public void Session_options_become_the_proxy_s_duration_and_limit_variables()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with
        {
            Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 900, MaxDurationSeconds = 28800, EnforceExpiry = true, MaxSessionsPerPod = 500, MaxSessionsPerTarget = 2, OnSessionLimit = "takeover" },
        });

        var data = ProxyConfiguration.For(proxy);
        Assert.Equal("2", data[ProxyEnvironment.MaxSessionsPerTarget]);
        Assert.Equal("takeover", data[ProxyEnvironment.OnSessionLimit]);
        // The pods' own name (their host name, the proxy's default) names them in the published sessions.
        Assert.DoesNotContain(ProxyEnvironment.InstanceName, data.Keys);

        Assert.Equal("900", data[ProxyEnvironment.IdleTimeout]);
        Assert.Equal("28800", data[ProxyEnvironment.MaxDuration]);
        Assert.Equal("true", data[ProxyEnvironment.EnforceExpiry]);
        Assert.Equal("500", data[ProxyEnvironment.MaxSessions]);
    }

    [Fact]
    public void Zero_or_unset_session_limits_leave_the_proxy_defaults_alone()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with { Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 0 } });

        var data = ProxyConfiguration.For(proxy);

        Assert.DoesNotContain(ProxyEnvironment.IdleTimeout, data.Keys);
        Assert.DoesNotContain(ProxyEnvironment.MaxDuration, data.Keys);
        Assert.DoesNotContain(ProxyEnvironment.EnforceExpiry, data.Keys);
        Assert.DoesNotContain(ProxyEnvironment.MaxSessions, data.Keys);
        Assert.DoesNotContain(ProxyEnvironment.MaxSessionsPerTarget, data.Keys);
        Assert.DoesNotContain(ProxyEnvironment.OnSessionLimit, data.Keys);
    }

    [Fact]
    public void Tls_points_the_proxy_at_the_mounted_secret_and_turns_on_ssl_only()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with { Tls = new ProxyTlsSpec { SecretName = "console-tls" } });

        var data = ProxyConfiguration.For(proxy);

        Assert.Equal("/etc/consoleproxy/tls/tls.crt", data[ProxyEnvironment.Cert]);
        Assert.Equal("/etc/consoleproxy/tls/tls.key", data[ProxyEnvironment.Key]);
        Assert.Equal("true", data[ProxyEnvironment.SslOnly]);
        Assert.DoesNotContain(ProxyEnvironment.Cert, ProxyConfiguration.For(SampleProxies.Managed()).Keys);
    }

    [Fact]
    public void Wide_target_networks_reach_the_proxy_only_when_the_spec_allows_them()
    {
        var proxy = SampleProxies.Managed();
        Assert.False(ProxyConfiguration.For(proxy).ContainsKey(ProxyEnvironment.AllowWideTargetNetworks));

        var wide = SampleProxies.With(proxy, proxy.Spec with { Tokens = proxy.Spec.Tokens with { AllowedTargets = ["0.0.0.0/0:5900"], AllowWideTargetNetworks = true } });
        Assert.Equal("true", ProxyConfiguration.For(wide)[ProxyEnvironment.AllowWideTargetNetworks]);
    }

    [Fact]
    public void Framing_and_strict_origin_reach_the_proxy_only_when_set()
    {
        var proxy = SampleProxies.Managed();
        var defaults = ProxyConfiguration.For(proxy);
        Assert.False(defaults.ContainsKey(ProxyEnvironment.StrictOrigin));
        Assert.False(defaults.ContainsKey(ProxyEnvironment.FrameAncestor));

        var embedded = ProxyConfiguration.For(SampleProxies.With(proxy, proxy.Spec with
        {
            StrictOrigin = true,
            FrameAncestors = ["https://portal.example.com", "https://*.dashboards.example.com"],
        }));

        Assert.Equal("true", embedded[ProxyEnvironment.StrictOrigin]);
        Assert.Equal("https://portal.example.com,https://*.dashboards.example.com", embedded[ProxyEnvironment.FrameAncestor]);
    }

    [Fact]
    public void Repeatable_options_are_comma_separated_in_one_variable()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with
        {
            AllowedOrigins = ["https://portal.example.com", "dashboard.example.com"],
            Tokens = proxy.Spec.Tokens with { AllowedTargets = ["10.20.0.0/16:5900-5999", "[fd00:20::]/48:5900"] },
        });

        var data = ProxyConfiguration.For(proxy);

        Assert.Equal("https://portal.example.com,dashboard.example.com", data[ProxyEnvironment.AllowedOrigin]);
        Assert.Equal("10.20.0.0/16:5900-5999,[fd00:20::]/48:5900", data[ProxyEnvironment.AllowedTarget]);
    }

    [Fact]
    public void Every_variable_is_an_option_of_the_proxy_contract()
    {
        var proxy = SampleProxies.External(password: new SecretKeyReference { Name = "s", Key = "k" });
        proxy = SampleProxies.With(proxy, proxy.Spec with
        {
            Tls = new ProxyTlsSpec { SecretName = "tls" },
            AllowedOrigins = ["https://a.example"],
            Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 1, MaxDurationSeconds = 2, EnforceExpiry = true, MaxSessionsPerPod = 3 },
        });

        Assert.All(ProxyConfiguration.For(proxy).Keys, key => Assert.Contains(key, ProxyEnvironment.All));
    }

    private static readonly string[] ServeOptionSources = ["ServeOptions.cs", "TokenStoreOptionSet.cs"];

    // Serve options the operator does not set yet, each with its reason; the list must only shrink (it is empty).
    private static readonly string[] OptionsTheOperatorDoesNotSetYet = [];

    [Fact]
    public void The_contract_names_exactly_the_options_of_consoleproxy_serve()
    {
        // The proxy's own list of `serve` options, read from its source (the Redis ones are shared with the `token`
        // verbs in TokenStoreOptionSet): the operator must not drift from it.
        var source = string.Concat(ServeOptionSources.Select(file => File.ReadAllText(Path.Combine(Checkout.Root, "proxy", "ConsoleProxy", "Cli", file))));
        var serveOptions = OptionLiteral().Matches(source).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(serveOptions, OptionsTheOperatorDoesNotSetYet.ToHashSet(StringComparer.Ordinal));
        Assert.Empty(OptionsTheOperatorDoesNotSetYet.Intersect(ProxyEnvironment.All.Select(ProxyEnvironment.OptionFor)));
        serveOptions.ExceptWith(OptionsTheOperatorDoesNotSetYet);

        Assert.Equal(
            serveOptions.Order(StringComparer.Ordinal),
            ProxyEnvironment.All.Select(ProxyEnvironment.OptionFor).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Variable_names_map_to_option_names()
    {
        Assert.Equal("--allowed-target", ProxyEnvironment.OptionFor("CONSOLEPROXY_ALLOWED_TARGET"));
        Assert.Equal("--redis-password", ProxyEnvironment.OptionFor(ProxyEnvironment.RedisPassword));
        Assert.Throws<ArgumentException>(() => ProxyEnvironment.OptionFor("REDIS"));
    }

    [GeneratedRegex("\"(--[a-z][a-z-]*)\"")]
    private static partial Regex OptionLiteral();
}
