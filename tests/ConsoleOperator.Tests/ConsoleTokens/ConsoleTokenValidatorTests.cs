using System.Net;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleTokens;

public sealed class ConsoleTokenValidatorTests
{
    private static readonly ConsoleTokenValidator Validator = new(new TableTargetResolver(new Dictionary<string, IPAddress[]>
    {
        ["compute-1.example"] = [IPAddress.Parse("10.0.0.7")],
        ["compute-split.example"] = [IPAddress.Parse("10.0.0.8"), IPAddress.Parse("192.168.1.8")],
        ["compute-v6.example"] = [IPAddress.Parse("2001:db8::7"), IPAddress.Parse("10.0.0.9")],
    }));

    [Fact]
    public async Task A_token_inside_the_policy_is_valid_with_the_proxys_default_lifetime()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901), Proxy(), CancellationToken.None);

        Assert.True(verdict.IsValid, verdict.Message);
        Assert.Equal(TimeSpan.FromSeconds(600), verdict.Lifetime);
    }

    [Fact]
    public async Task A_missing_proxy_is_ProxyNotFound()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901), null, CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.ProxyNotFound, verdict.Reason);
        Assert.Contains("ConsoleProxy consoles/edge does not exist", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_only_the_proxys_own_namespace_may_mint()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901, ns: "tenant", proxyNamespace: "consoles"), Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.NamespaceNotAllowed, verdict.Reason);
        Assert.Contains("namespace tenant may not mint tokens for ConsoleProxy consoles/edge", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", true)]
    [InlineData("*", true)]
    [InlineData("other", false)]
    public async Task The_proxys_namespace_list_decides_who_may_mint(string allowed, bool valid)
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901, ns: "tenant", proxyNamespace: "consoles"), Proxy(namespaces: [allowed]), CancellationToken.None);

        Assert.Equal(valid, verdict.IsValid);
    }

    [Theory]
    [InlineData("192.168.1.5", 5901)]
    [InlineData("10.0.0.7", 22)]
    [InlineData("2001:db9::1", 5901)]
    public async Task A_target_outside_the_allowed_networks_or_ports_is_TargetNotAllowed(string host, int port)
    {
        var verdict = await Validator.ValidateAsync(Token(host, port), Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.TargetNotAllowed, verdict.Reason);
        Assert.Contains("allowedTargets", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ipv6_target_inside_an_ipv6_network_is_valid()
    {
        var verdict = await Validator.ValidateAsync(Token("2001:db8::5", 5905), Proxy(), CancellationToken.None);

        Assert.True(verdict.IsValid, verdict.Message);
    }

    [Fact]
    public async Task A_name_is_valid_when_every_address_it_resolves_to_is_allowed()
    {
        Assert.True((await Validator.ValidateAsync(Token("compute-1.example", 5901), Proxy(), CancellationToken.None)).IsValid);
        Assert.True((await Validator.ValidateAsync(Token("compute-v6.example", 5901), Proxy(), CancellationToken.None)).IsValid);
    }

    [Fact]
    public async Task A_name_with_one_address_outside_the_policy_is_TargetNotAllowed_and_names_it()
    {
        var verdict = await Validator.ValidateAsync(Token("compute-split.example", 5901), Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.TargetNotAllowed, verdict.Reason);
        Assert.Contains("not allowed: 192.168.1.8", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_TargetNotResolvable_and_checked_again_later()
    {
        var verdict = await Validator.ValidateAsync(Token("nowhere.example", 5901), Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.TargetNotResolvable, verdict.Reason);
        Assert.Equal(ConsoleTokenValidator.ResolveRetry, verdict.RetryAfter);
    }

    [Fact]
    public async Task The_system_resolver_answers_for_localhost()
    {
        var validator = new ConsoleTokenValidator(DnsTargetResolver.Instance);

        var verdict = await validator.ValidateAsync(Token("localhost", 5901), Proxy(allowedTargets: ["127.0.0.0/8", "::1"]), CancellationToken.None);

        Assert.True(verdict.IsValid, verdict.Message);
    }

    [Fact]
    public async Task A_malformed_host_is_TargetInvalid()
    {
        var verdict = await Validator.ValidateAsync(Token("not a host", 5901), Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.TargetInvalid, verdict.Reason);
    }

    [Fact]
    public async Task A_lifetime_over_the_maximum_is_TTLTooLong_rather_than_shortened()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901, ttlSeconds: 3601), Proxy(maxTtl: 3600), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.TTLTooLong, verdict.Reason);
        Assert.Contains("ttlSeconds 3601s exceeds the maximum", verdict.Message, StringComparison.Ordinal);
        Assert.Contains("maxTTLSeconds 3600s", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lifetime_at_the_maximum_is_valid()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901, ttlSeconds: 3600), Proxy(maxTtl: 3600), CancellationToken.None);

        Assert.True(verdict.IsValid, verdict.Message);
        Assert.Equal(TimeSpan.FromHours(1), verdict.Lifetime);
    }

    [Fact]
    public async Task A_default_lifetime_over_the_maximum_is_TTLTooLong_too()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901), Proxy(defaultTtl: 900, maxTtl: 600), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.TTLTooLong, verdict.Reason);
        Assert.Contains("default lifetime 900s", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.5/8")]
    [InlineData("0.0.0.0/0")]
    public async Task A_proxy_without_a_usable_target_policy_refuses_every_token(string allowedTargets)
    {
        var entries = allowedTargets.Split(',', StringSplitOptions.RemoveEmptyEntries);

        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901), Proxy(allowedTargets: entries), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.ProxyPolicyInvalid, verdict.Reason);
    }

    [Theory]
    [InlineData("169.254.169.254", 80, false)]
    [InlineData("127.0.0.1", 5901, false)]
    [InlineData("203.0.113.7", 5901, true)]
    public async Task A_proxy_that_allows_wide_networks_still_keeps_loopback_and_link_local_out(string host, int port, bool valid)
    {
        var verdict = await Validator.ValidateAsync(Token(host, port), Proxy(allowedTargets: ["0.0.0.0/0"], allowWideNetworks: true), CancellationToken.None);

        Assert.Equal(valid, verdict.IsValid);
        if (!valid)
        {
            Assert.Equal(ConsoleTokenReasons.TargetNotAllowed, verdict.Reason);
        }
    }

    [Fact]
    public async Task A_proxy_public_url_that_cannot_carry_a_token_is_ProxyURLInvalid()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901), Proxy(publicUrl: "https://console.example.com/?tenant=a"), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.ProxyURLInvalid, verdict.Reason);
    }

    [Fact]
    public async Task A_serial_token_is_refused_by_a_proxy_that_serves_only_vnc_naming_what_it_serves()
    {
        var verdict = await Validator.ValidateAsync(Token("10.0.0.7", 5901, kind: "serial"), Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.KindNotServed, verdict.Reason);
        Assert.Contains("ConsoleProxy consoles/edge does not serve serial consoles; it serves vnc", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serial", "10.0.0.7", 10001, true)]
    [InlineData("serial", "10.0.0.7", 5901, false)]
    [InlineData("vnc", "10.0.0.7", 5901, true)]
    [InlineData("vnc", "10.0.0.7", 10001, false)]
    public async Task Each_kind_is_checked_against_its_own_allowed_targets(string kind, string host, int port, bool valid)
    {
        var proxy = Proxy(kinds: ["vnc", "serial"], serialAllowedTargets: ["10.0.0.0/8:10000-20000"]);

        var verdict = await Validator.ValidateAsync(Token(host, port, kind: kind), proxy, CancellationToken.None);

        Assert.True(valid == verdict.IsValid, verdict.Message);
        if (!valid)
        {
            Assert.Equal(ConsoleTokenReasons.TargetNotAllowed, verdict.Reason);
            Assert.Contains(kind == "serial" ? "spec.tokens.serialAllowedTargets" : "spec.tokens.allowedTargets", verdict.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_VNC_password_for_a_proxy_that_does_not_answer_VNC_challenges_is_refused_saying_what_to_add()
    {
        var token = Token("10.0.0.7", 5901) with { Spec = Token("10.0.0.7", 5901).Spec with { VncPasswordSecretRef = new Api.Common.SecretKeyReference { Name = "vm-vnc", Key = "password" } } };

        var verdict = await Validator.ValidateAsync(token, Proxy(), CancellationToken.None);

        Assert.Equal(ConsoleTokenReasons.VncPasswordUnsupported, verdict.Reason);
        Assert.Contains("add vnc (or vencrypt", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VNC_password_is_answered_by_a_proxy_with_anonymous_TLS_only_and_a_user_name_needs_a_password()
    {
        var password = new Api.Common.SecretKeyReference { Name = "vm-vnc", Key = "password" };
        var spec = Token("10.0.0.7", 5901).Spec;
        var anonymousOnly = Proxy() with { Spec = Proxy().Spec with { TargetSecurity = new TargetSecuritySpec { AuthSchemes = ["vencrypt-anon"] } } };

        var withPassword = await Validator.ValidateAsync(Token("10.0.0.7", 5901) with { Spec = spec with { VncPasswordSecretRef = password } }, anonymousOnly, CancellationToken.None);
        var nameAlone = await Validator.ValidateAsync(Token("10.0.0.7", 5901) with { Spec = spec with { VncUsername = "admin" } }, anonymousOnly, CancellationToken.None);

        Assert.True(withPassword.IsValid, withPassword.Message);
        Assert.Equal(ConsoleTokenReasons.VncPasswordUnsupported, nameAlone.Reason);
        Assert.Contains("spec.vncUsername needs spec.vncPasswordSecretRef", nameAlone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spice_token_is_checked_against_the_spice_targets_and_refused_view_only()
    {
        var proxy = Proxy(kinds: ["vnc", "spice"], spiceAllowedTargets: ["10.0.0.0/8:6000-6999"]);
        var spice = Token("10.0.0.7", 6001, kind: "spice");

        var valid = await Validator.ValidateAsync(spice, proxy, CancellationToken.None);
        var vncPort = await Validator.ValidateAsync(Token("10.0.0.7", 5901, kind: "spice"), proxy, CancellationToken.None);
        var viewOnly = await Validator.ValidateAsync(spice with { Spec = spice.Spec with { ViewOnly = true } }, proxy, CancellationToken.None);

        Assert.True(valid.IsValid, valid.Message);
        Assert.Contains("spec.tokens.spiceAllowedTargets", vncPort.Message, StringComparison.Ordinal);
        Assert.Equal(ConsoleTokenReasons.KindNotServed, viewOnly.Reason);
        Assert.Contains("view-only SPICE consoles are not supported", viewOnly.Message, StringComparison.Ordinal);
    }

    private static ConsoleTokenResource Token(string host, int port, int? ttlSeconds = null, string ns = "consoles", string? proxyNamespace = null, string kind = "vnc") => new()
    {
        Metadata = new V1ObjectMeta { Name = "vm", NamespaceProperty = ns },
        Spec = new ConsoleTokenSpec
        {
            ProxyRef = new ProxyReference { Name = "edge", Namespace = proxyNamespace },
            Target = new TargetSpec { Host = host, Port = port },
            TtlSeconds = ttlSeconds,
            Kind = kind,
        },
    };

    private static ConsoleProxyResource Proxy(
        IEnumerable<string>? allowedTargets = null,
        IEnumerable<string>? namespaces = null,
        int defaultTtl = 600,
        int? maxTtl = null,
        string publicUrl = "https://console.example.com",
        bool allowWideNetworks = false,
        List<string>? kinds = null,
        List<string>? serialAllowedTargets = null,
        List<string>? spiceAllowedTargets = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "edge", NamespaceProperty = "consoles" },
        Spec = new ConsoleProxySpec
        {
            PublicUrl = publicUrl,
            Kinds = kinds,
            TokenStore = new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() },
            Tokens = new TokenPolicySpec
            {
                AllowedTargets = [.. allowedTargets ?? ["10.0.0.0/8:5900-5999", "[2001:db8::]/32:5900-5999"]],
                Namespaces = namespaces?.ToList(),
                DefaultTTLSeconds = defaultTtl,
                MaxTTLSeconds = maxTtl,
                AllowWideTargetNetworks = allowWideNetworks,
                SerialAllowedTargets = serialAllowedTargets,
                SpiceAllowedTargets = spiceAllowedTargets,
            },
        },
    };
}
