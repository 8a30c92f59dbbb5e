using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Validation;

namespace ConsoleOperator.Tests.Builders;

public sealed class ConsoleProxyValidatorTests
{
    private static ValidationProblem Single(Func<ConsoleProxySpec, ConsoleProxySpec> change)
    {
        var proxy = SampleProxies.Managed();
        return Assert.Single(ConsoleProxyValidator.Validate(SampleProxies.With(proxy, change(proxy.Spec))));
    }

    [Fact]
    public void The_samples_are_valid()
    {
        Assert.Empty(ConsoleProxyValidator.Validate(SampleProxies.Managed()));
        Assert.Empty(ConsoleProxyValidator.Validate(SampleProxies.External("[fd00::15]:6379")));
    }

    [Fact]
    public void An_allowed_target_the_proxy_cannot_parse_is_reported_with_its_index_and_the_parser_s_reason()
    {
        var problem = Single(spec => spec with { Tokens = spec.Tokens with { AllowedTargets = ["10.0.0.0/8:5900", "10.0.0.5/8:5900"] } });

        Assert.Equal("spec.tokens.allowedTargets[1]", problem.Field);
        Assert.Contains("10.0.0.0/8", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("10.0.0.0/7:5900-5999")]
    public void A_wide_target_network_is_refused_unless_the_spec_allows_wide_networks_by_name(string target)
    {
        var problem = Single(spec => spec with { Tokens = spec.Tokens with { AllowedTargets = ["10.20.0.0/16:5900", target] } });

        Assert.Equal("spec.tokens.allowedTargets[1]", problem.Field);
        Assert.Contains("is wider than /8 (IPv4) or /32 (IPv6)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("spec.tokens.allowWideTargetNetworks: true", problem.Message, StringComparison.Ordinal);

        var proxy = SampleProxies.Managed();
        var optedIn = SampleProxies.With(proxy, proxy.Spec with { Tokens = proxy.Spec.Tokens with { AllowedTargets = [target], AllowWideTargetNetworks = true } });
        Assert.Empty(ConsoleProxyValidator.Validate(optedIn));
    }

    [Fact]
    public void Serving_serial_needs_its_own_allowed_targets_and_those_need_serial_served()
    {
        var withoutTargets = Single(spec => spec with { Kinds = ["vnc", "serial"] });
        var withoutKind = Single(spec => spec with { Tokens = spec.Tokens with { SerialAllowedTargets = ["10.20.0.0/16:10000-20000"] } });

        Assert.Equal("spec.tokens.serialAllowedTargets", withoutTargets.Field);
        Assert.Contains("spec.kinds has serial", withoutTargets.Message, StringComparison.Ordinal);
        Assert.Equal("spec.tokens.serialAllowedTargets", withoutKind.Field);
        Assert.Contains("add serial to spec.kinds", withoutKind.Message, StringComparison.Ordinal);
        Assert.Empty(ConsoleProxyValidator.Validate(SampleProxies.With(SampleProxies.Managed(), SampleProxies.Managed().Spec with
        {
            Kinds = ["vnc", "serial"],
            Tokens = SampleProxies.Managed().Spec.Tokens with { SerialAllowedTargets = ["10.20.0.0/16:10000-20000"] },
        })));
    }

    [Theory]
    [InlineData("rdp", "console kind")]
    [InlineData("vnc", "listed twice")]
    public void A_kind_it_cannot_serve_or_a_repeated_one_is_refused(string second, string reason)
    {
        var problem = Single(spec => spec with { Kinds = ["vnc", second] });

        Assert.Equal("spec.kinds[1]", problem.Field);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serving_spice_needs_its_own_allowed_targets()
    {
        var problem = Single(spec => spec with { Kinds = ["vnc", "spice"] });

        Assert.Equal("spec.tokens.spiceAllowedTargets", problem.Field);
        Assert.Contains("spec.kinds has spice", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_serial_target_wider_than_allowed_is_refused_like_a_VNC_one()
    {
        var problem = Single(spec => spec with { Kinds = ["serial"], Tokens = spec.Tokens with { SerialAllowedTargets = ["0.0.0.0/0:10000-20000"] } });

        Assert.Equal("spec.tokens.serialAllowedTargets[0]", problem.Field);
    }

    [Fact]
    public void An_empty_target_list_is_refused_as_an_open_relay()
    {
        var problem = Single(spec => spec with { Tokens = spec.Tokens with { AllowedTargets = [] } });

        Assert.Equal("spec.tokens.allowedTargets", problem.Field);
        Assert.Contains("open relay", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("console.example.com")]
    [InlineData("ftp://console.example.com")]
    [InlineData("https://console.example.com/?token=x")]
    [InlineData("")]
    public void A_public_url_that_is_not_an_http_base_is_refused(string url)
    {
        Assert.Equal("spec.publicURL", Single(spec => spec with { PublicUrl = url }).Field);
    }

    [Fact]
    public void Tls_without_a_secret_name_says_what_to_set()
    {
        var problem = Single(spec => spec with { Tls = new ProxyTlsSpec { SecretName = " " } });

        Assert.Equal("spec.tls.secretName", problem.Field);
        Assert.Contains("tls.crt", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_store_needs_exactly_one_kind()
    {
        Assert.Equal("spec.tokenStore", Single(spec => spec with { TokenStore = new TokenStoreSpec() }).Field);
        Assert.Equal("spec.tokenStore", Single(spec => spec with
        {
            TokenStore = new TokenStoreSpec { Managed = new ManagedTokenStoreSpec(), External = new ExternalTokenStoreSpec { Address = "10.0.0.1:6379" } },
        }).Field);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("2001:db8::1:6379")]
    [InlineData("redis:0")]
    public void An_external_address_must_be_host_and_port(string address)
    {
        Assert.Equal("spec.tokenStore.external.address", Assert.Single(ConsoleProxyValidator.Validate(SampleProxies.External(address))).Field);
    }

    [Fact]
    public void A_password_reference_needs_name_and_key()
    {
        var problem = Assert.Single(ConsoleProxyValidator.Validate(SampleProxies.External(password: new SecretKeyReference { Name = "redis" })));

        Assert.Equal("spec.tokenStore.external.passwordSecretRef", problem.Field);
    }

    [Fact]
    public void Names_too_long_for_the_derived_services_are_refused_with_the_limit()
    {
        var problem = Assert.Single(ConsoleProxyValidator.Validate(SampleProxies.Managed(new string('a', 58))));

        Assert.Equal("metadata.name", problem.Field);
        Assert.Contains("57", problem.Message, StringComparison.Ordinal);
        Assert.Empty(ConsoleProxyValidator.Validate(SampleProxies.Managed(new string('a', 57))));
        Assert.Single(ConsoleProxyValidator.Validate(SampleProxies.Managed("1console")));
    }

    [Fact]
    public void What_the_schema_checks_with_cel_is_checked_again_for_render()
    {
        Assert.Equal("spec.autoscaling", Single(spec => spec with { Autoscaling = new AutoscalingSpec { MinReplicas = 5, MaxReplicas = 2 } }).Field);
        Assert.Equal("spec.tokens.defaultTTLSeconds", Single(spec => spec with { Tokens = spec.Tokens with { DefaultTTLSeconds = 900, MaxTTLSeconds = 600 } }).Field);
    }

    [Theory]
    [InlineData("portal.example.com:notaport", "is neither an origin")]
    [InlineData("ftp://portal.example.com", "is not an http(s) origin")]
    [InlineData("https://portal.example.com/path", "has a path or query")]
    public void An_allowed_origin_is_judged_by_the_proxy_s_own_parser_so_the_pods_start_with_what_was_accepted(string origin, string reason)
    {
        var problem = Single(spec => spec with { AllowedOrigins = ["https://portal.example.com", origin] });

        Assert.Equal("spec.allowedOrigins[1]", problem.Field);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
        Assert.False(ConsoleProxy.Tokens.Policy.AllowedOrigin.TryParse(origin, out _, out _));
    }

    [Fact]
    public void Bad_namespaces_origins_and_quantities_are_reported_by_path()
    {
        Assert.Equal("spec.tokens.namespaces[1]", Single(spec => spec with { Tokens = spec.Tokens with { Namespaces = ["tenant-a", "Tenant_B"] } }).Field);
        Assert.Empty(ConsoleProxyValidator.Validate(SampleProxies.With(SampleProxies.Managed(), SampleProxies.Managed().Spec with
        {
            Tokens = SampleProxies.Managed().Spec.Tokens with { Namespaces = ["*"] },
            AllowedOrigins = ["https://portal.example.com", "dashboard.example.com:8443"],
        })));
        Assert.Equal("spec.allowedOrigins[0]", Single(spec => spec with { AllowedOrigins = ["https://portal.example.com/path"] }).Field);
        Assert.Equal("spec.resources.requests.cpu", Single(spec => spec with
        {
            Resources = new ComputeResources { Requests = new() { ["cpu"] = new Quantity("lots") } },
        }).Field);
    }
}
