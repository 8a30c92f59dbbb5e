using TestKit.Repository;
using System.Text.RegularExpressions;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleOperator.Tests.Builders;

public sealed class ProxyConfigurationTests
{
    [Fact]
    public void Managed_store_points_the_proxy_at_the_managed_redis_service_with_a_per_proxy_key_prefix()
    {
        var data = SampleProxies.ConfigMap(SampleProxies.Managed()).Data!;

        Assert.Equal("console-redis.consoles.svc:6379", data[ProxySettingsContract.Redis.EnvironmentVariable]);
        Assert.Equal("false", data[ProxySettingsContract.RedisTls.EnvironmentVariable]);
        Assert.Equal("consoleproxy:consoles:console:", data[ProxySettingsContract.KeyPrefix.EnvironmentVariable]);
        Assert.Equal("6080", data[ProxySettingsContract.Port.EnvironmentVariable]);
        Assert.Equal("10.20.0.0/16:5900-5999", data[ProxySettingsContract.AllowedTarget.EnvironmentVariable]);
        Assert.Equal("25", data[ProxySettingsContract.DrainTimeout.EnvironmentVariable]);
        Assert.Equal("consoles/console", data[ProxySettingsContract.Name.EnvironmentVariable]);
    }

    [Fact]
    public void External_store_uses_its_address_and_tls_flag()
    {
        var data = SampleProxies.ConfigMap(SampleProxies.External("[fd00::15]:6380", tls: true)).Data!;

        Assert.Equal("[fd00::15]:6380", data[ProxySettingsContract.Redis.EnvironmentVariable]);
        Assert.Equal("true", data[ProxySettingsContract.RedisTls.EnvironmentVariable]);
    }

    [Fact]
    public void The_password_is_never_in_the_config_map()
    {
        var data = SampleProxies.ConfigMap(SampleProxies.Managed()).Data!;

        Assert.DoesNotContain(ProxySettingsContract.RedisPassword.EnvironmentVariable, data.Keys);
    }

    [Fact]
    public void Session_options_become_the_proxy_s_duration_and_limit_variables()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with
        {
            Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 900, MaxDurationSeconds = 28800, EnforceExpiry = true, MaxSessionsPerPod = 500, MaxSessionsPerTarget = 2, OnSessionLimit = "takeover" },
        });

        var data = SampleProxies.Configuration(proxy);
        Assert.Equal("2", data[ProxySettingsContract.MaxSessionsPerTarget.EnvironmentVariable]);
        Assert.Equal("takeover", data[ProxySettingsContract.OnSessionLimit.EnvironmentVariable]);
        // The pods' own name (their host name, the proxy's default) names them in the published sessions.
        Assert.DoesNotContain(ProxySettingsContract.InstanceName.EnvironmentVariable, data.Keys);

        Assert.Equal("900", data[ProxySettingsContract.IdleTimeout.EnvironmentVariable]);
        Assert.Equal("28800", data[ProxySettingsContract.MaxDuration.EnvironmentVariable]);
        Assert.Equal("true", data[ProxySettingsContract.EnforceExpiry.EnvironmentVariable]);
        Assert.Equal("500", data[ProxySettingsContract.MaxSessions.EnvironmentVariable]);
    }

    [Fact]
    public void Zero_or_unset_session_limits_leave_the_proxy_defaults_alone()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with { Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 0 } });

        var data = SampleProxies.Configuration(proxy);

        Assert.DoesNotContain(ProxySettingsContract.IdleTimeout.EnvironmentVariable, data.Keys);
        Assert.DoesNotContain(ProxySettingsContract.MaxDuration.EnvironmentVariable, data.Keys);
        Assert.DoesNotContain(ProxySettingsContract.EnforceExpiry.EnvironmentVariable, data.Keys);
        Assert.DoesNotContain(ProxySettingsContract.MaxSessions.EnvironmentVariable, data.Keys);
        Assert.DoesNotContain(ProxySettingsContract.MaxSessionsPerTarget.EnvironmentVariable, data.Keys);
        Assert.DoesNotContain(ProxySettingsContract.OnSessionLimit.EnvironmentVariable, data.Keys);
    }

    [Fact]
    public void Tls_points_the_proxy_at_the_mounted_secret_and_turns_on_ssl_only()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with { Tls = new ProxyTlsSpec { SecretName = "console-tls" } });

        var data = SampleProxies.Configuration(proxy);

        Assert.Equal("/etc/consoleproxy/tls/tls.crt", data[ProxySettingsContract.Cert.EnvironmentVariable]);
        Assert.Equal("/etc/consoleproxy/tls/tls.key", data[ProxySettingsContract.Key.EnvironmentVariable]);
        Assert.Equal("true", data[ProxySettingsContract.SslOnly.EnvironmentVariable]);
        Assert.DoesNotContain(ProxySettingsContract.Cert.EnvironmentVariable, SampleProxies.Configuration(SampleProxies.Managed()).Keys);
    }

    [Fact]
    public void Wide_target_networks_reach_the_proxy_only_when_the_spec_allows_them()
    {
        var proxy = SampleProxies.Managed();
        Assert.False(SampleProxies.Configuration(proxy).ContainsKey(ProxySettingsContract.AllowWideTargetNetworks.EnvironmentVariable));

        var wide = SampleProxies.With(proxy, proxy.Spec with { Tokens = proxy.Spec.Tokens with { AllowedTargets = ["0.0.0.0/0:5900"], AllowWideTargetNetworks = true } });
        Assert.Equal("true", SampleProxies.Configuration(wide)[ProxySettingsContract.AllowWideTargetNetworks.EnvironmentVariable]);
    }

    [Fact]
    public void Framing_and_strict_origin_reach_the_proxy_only_when_set()
    {
        var proxy = SampleProxies.Managed();
        var defaults = SampleProxies.Configuration(proxy);
        Assert.False(defaults.ContainsKey(ProxySettingsContract.StrictOrigin.EnvironmentVariable));
        Assert.False(defaults.ContainsKey(ProxySettingsContract.FrameAncestor.EnvironmentVariable));

        var embedded = SampleProxies.Configuration(SampleProxies.With(proxy, proxy.Spec with
        {
            StrictOrigin = true,
            FrameAncestors = ["https://portal.example.com", "https://*.dashboards.example.com"],
        }));

        Assert.Equal("true", embedded[ProxySettingsContract.StrictOrigin.EnvironmentVariable]);
        Assert.Equal("https://portal.example.com,https://*.dashboards.example.com", embedded[ProxySettingsContract.FrameAncestor.EnvironmentVariable]);
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

        var data = SampleProxies.Configuration(proxy);

        Assert.Equal("https://portal.example.com,dashboard.example.com", data[ProxySettingsContract.AllowedOrigin.EnvironmentVariable]);
        Assert.Equal("10.20.0.0/16:5900-5999,[fd00:20::]/48:5900", data[ProxySettingsContract.AllowedTarget.EnvironmentVariable]);
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

        Assert.All(SampleProxies.Configuration(proxy).Keys, key => Assert.Contains(key, ProxySettingsContract.All.Select(setting => setting.EnvironmentVariable)));
    }

    // Settings the operator never gives, each with its reason; a setting added to the contract must be given by the
    // operator for some spec below or be named here, or the round trip fails.
    private static readonly Dictionary<ProxySetting, string> LeftToTheProxy = new()
    {
        [ProxySettingsContract.Host] = "the pods listen on every address, the proxy's default",
        [ProxySettingsContract.Web] = "the image bundles noVNC where the default points",
        [ProxySettingsContract.InstanceName] = "the pod's host name, the proxy's default, names it in the published sessions",
        [ProxySettingsContract.PingInterval] = "the proxy's default; not in the ConsoleProxy spec",
        [ProxySettingsContract.RecheckInterval] = "the proxy's default; not in the ConsoleProxy spec",
        [ProxySettingsContract.RedisPassword] = "a secretKeyRef on the pod, never in the ConfigMap",
        [ProxySettingsContract.RedisUser] = "a secretKeyRef on the pod, never in the ConfigMap",
    };

    /// <summary>Specs that between them use every part of the spec the proxy settings come from.</summary>
    private static IEnumerable<ConsoleProxyResource> SpecsUsingEveryField()
    {
        var managed = SampleProxies.Managed();
        yield return SampleProxies.With(managed, managed.Spec with
        {
            Kinds = ["vnc", "serial", "spice"],
            Tokens = managed.Spec.Tokens with
            {
                AllowedTargets = ["10.20.0.0/16:5900-5999", "[fd00:20::]/48:5900"],
                SerialAllowedTargets = ["10.20.0.0/16:10000-20000"],
                SpiceAllowedTargets = ["10.20.0.0/16:61000-61009"],
                AllowWideTargetNetworks = true,
            },
            TargetSecurity = new TargetSecuritySpec { AuthSchemes = ["vencrypt", "vnc"], Tls = true, TlsSecretName = "compute-vnc-client" },
            AllowedOrigins = ["https://portal.example.com", "dashboard.example.com"],
            StrictOrigin = true,
            FrameAncestors = ["https://portal.example.com"],
            Tls = new ProxyTlsSpec { SecretName = "console-tls" },
            Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 900, MaxDurationSeconds = 28800, EnforceExpiry = true, MaxSessionsPerPod = 500, MaxSessionsPerTarget = 2, OnSessionLimit = "takeover" },
        });

        var external = SampleProxies.External();
        yield return SampleProxies.With(external, external.Spec with
        {
            TokenStore = new TokenStoreSpec
            {
                External = new ExternalTokenStoreSpec
                {
                    Sentinel = new RedisSentinelSpec { MasterName = "consoles", Addresses = ["10.30.0.21:26379", "sentinels.corp.example:26379"] },
                    CaSecretRef = new SecretKeyReference { Name = "redis-ca", Key = "ca.crt" },
                    ClientCertificateSecretName = "redis-client",
                },
            },
        });
    }

    [Fact]
    public void The_contract_round_trips_from_the_spec_through_the_variables_to_the_proxy_s_parse_for_every_setting()
    {
        var given = new HashSet<ProxySetting>();
        foreach (var proxy in SpecsUsingEveryField())
        {
            var written = SampleProxies.Settings(proxy);
            var configMap = SampleProxies.ConfigMap(proxy).Data!;

            // What the proxy reads from the pod's variables (the ConfigMap, loaded with envFrom).
            var read = ProxySettings.FromEnvironment(name => configMap.TryGetValue(name, out var value) ? value : null);

            Assert.Equal(written.Given, read.Given);
            foreach (var setting in written.Given)
            {
                Assert.Equal(Typed(written, setting), Typed(read, setting));
            }

            given.UnionWith(written.Given);
        }

        Assert.Empty(given.Intersect(LeftToTheProxy.Keys));
        Assert.Equal(
            ProxySettingsContract.All.Select(setting => setting.Option).Order(StringComparer.Ordinal),
            given.Concat(LeftToTheProxy.Keys).Select(setting => setting.Option).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Variable_names_map_to_option_names()
    {
        Assert.Equal("--allowed-target", ProxySettingsContract.All.Single(setting => setting.EnvironmentVariable == "CONSOLEPROXY_ALLOWED_TARGET").Option);
        Assert.Equal("--redis-password", ProxySettingsContract.Find("--redis-password")!.Option);
        Assert.Equal("CONSOLEPROXY_REDIS_PASSWORD", ProxySettingsContract.RedisPassword.EnvironmentVariable);
        Assert.Null(ProxySettingsContract.Find("REDIS"));
    }

    /// <summary>A setting's typed value, as something xunit compares by content (lists element by element).</summary>
    private static object? Typed(ProxySettings settings, ProxySetting setting) => setting switch
    {
        ProxySetting<IReadOnlyList<string>> list => settings.Get(list)?.ToArray(),
        ProxySetting<PolicyList<AllowedTarget>> targets => settings.Get(targets)?.ToArray(),
        ProxySetting<PolicyList<AllowedOrigin>> origins => settings.Get(origins)?.ToArray(),
        ProxySetting<TimeSpan> duration => settings.Get(duration),
        ProxySetting<int> integer => settings.Get(integer),
        ProxySetting<bool> flag => settings.Get(flag),
        ProxySetting<string> text => settings.Get(text),
        _ => throw new ArgumentException($"{setting.Option} has a value type this test does not compare", nameof(setting)),
    };
}
