using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Builders.Validation;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleOperator.Tests.Builders;

/// <summary>spec.targetSecurity: what the proxy pods are given to authenticate to the compute nodes, and the keyring Secret.</summary>
public sealed class TargetSecurityBuilderTests
{
    private static ConsoleProxyResource Secured(TargetSecuritySpec security)
    {
        var proxy = SampleProxies.Managed();
        return SampleProxies.With(proxy, proxy.Spec with { TargetSecurity = security });
    }

    [Fact]
    public void VeNCrypt_mounts_the_client_certificate_Secret_and_the_keyring_and_names_every_file_to_the_proxy()
    {
        var proxy = Secured(new TargetSecuritySpec { AuthSchemes = ["vencrypt", "vnc"], TlsSecretName = "compute-vnc-client" });

        var data = SampleProxies.Configuration(proxy);
        var pod = SampleProxies.Deployment(proxy, SampleProxies.Defaults).Spec!.Template!.Spec!;
        var mounts = Assert.Single(pod.Containers).VolumeMounts!;

        Assert.Equal("vencrypt,vnc", data[ProxySettingsContract.TargetAuthSchemes.EnvironmentVariable]);
        Assert.Equal(
            ("/etc/consoleproxy/target-tls/tls.crt", "/etc/consoleproxy/target-tls/tls.key", "/etc/consoleproxy/target-tls/ca.crt", "/etc/consoleproxy/vnc-password-key/keyring"),
            (data[ProxySettingsContract.TargetCert.EnvironmentVariable], data[ProxySettingsContract.TargetKey.EnvironmentVariable], data[ProxySettingsContract.TargetCa.EnvironmentVariable], data[ProxySettingsContract.VncPasswordKey.EnvironmentVariable]));
        Assert.False(data.ContainsKey(ProxySettingsContract.TargetTls.EnvironmentVariable));
        Assert.Equal("compute-vnc-client", Assert.Single(pod.Volumes!, volume => volume.Name == ProxyPod.TargetTlsVolumeName).Secret!.SecretName);
        Assert.Equal("console-vnc-password-key", Assert.Single(pod.Volumes!, volume => volume.Name == ProxyPod.VncPasswordKeyVolumeName).Secret!.SecretName);
        // Whole-Secret mounts (no subPath), so renewed certificates and added keys reach running pods.
        Assert.All(mounts.Where(mount => mount.Name is ProxyPod.TargetTlsVolumeName or ProxyPod.VncPasswordKeyVolumeName), mount =>
        {
            Assert.Null(mount.SubPath);
            Assert.True(mount.ReadOnlyProperty);
        });
    }

    [Fact]
    public void The_keyring_Secret_holds_one_new_256_bit_key_keeps_an_existing_keyring_and_renders_without_data()
    {
        var proxy = Secured(new TargetSecuritySpec { AuthSchemes = ["vnc"] });
        var generated = VncPasswordKeys.KeepOrGenerate(null);

        var secret = ConsoleProxyObjects.Build(proxy, SampleProxies.Defaults, RedisPassword.Generate(), generated).VncPasswordKeySecret!;
        var keyring = VncPasswordKeySecretBuilder.ReadKeyring(secret)!;
        var rendered = ConsoleProxyObjects.Build(proxy, SampleProxies.Defaults, RedisPassword.Withheld).VncPasswordKeySecret!;

        Assert.Equal("console-vnc-password-key", secret.Metadata.Name);
        Assert.Equal(32, Convert.FromBase64String(keyring.Trim()).Length);
        Assert.NotNull(VncPasswordKeyring.Parse(keyring.Split('\n'), "test").Current);
        Assert.Equal(keyring, VncPasswordKeys.KeepOrGenerate(keyring).Keyring);
        Assert.NotEqual(keyring, VncPasswordKeys.KeepOrGenerate(null).Keyring);
        Assert.Null(rendered.Data);
        Assert.Contains(RedisPasswordSecretBuilder.WithheldAnnotation, rendered.Metadata.Annotations!.Keys);
        Assert.Null(ConsoleProxyObjects.Build(SampleProxies.Managed(), SampleProxies.Defaults, RedisPassword.Generate()).VncPasswordKeySecret);
    }

    [Theory]
    [InlineData("vencrypt", false)]
    [InlineData("none", true)]
    public void VeNCrypt_or_TLS_without_the_certificate_Secret_is_refused(string scheme, bool tls)
    {
        var problem = Assert.Single(ConsoleProxyValidator.Validate(Secured(new TargetSecuritySpec { AuthSchemes = [scheme], Tls = tls })));

        Assert.Equal("spec.targetSecurity.tlsSecretName", problem.Field);
    }

    [Fact]
    public void Anonymous_TLS_needs_no_certificate_Secret_and_reaches_the_proxy_as_vencrypt_anon()
    {
        var proxy = Secured(new TargetSecuritySpec { AuthSchemes = ["vencrypt", "vencrypt-anon"], TlsSecretName = "compute-vnc-client" });
        var anonymousOnly = Secured(new TargetSecuritySpec { AuthSchemes = ["vencrypt-anon", "vnc"] });

        Assert.Empty(ConsoleProxyValidator.Validate(proxy));
        Assert.Empty(ConsoleProxyValidator.Validate(anonymousOnly));
        Assert.Equal("vencrypt,vencrypt-anon", SampleProxies.Configuration(proxy)[ProxySettingsContract.TargetAuthSchemes.EnvironmentVariable]);
        Assert.Equal("vencrypt-anon,vnc", SampleProxies.Configuration(anonymousOnly)[ProxySettingsContract.TargetAuthSchemes.EnvironmentVariable]);
        Assert.NotNull(ConsoleProxyObjects.Build(anonymousOnly, SampleProxies.Defaults, RedisPassword.Generate(), VncPasswordKeys.KeepOrGenerate(null)).VncPasswordKeySecret);
    }

    [Fact]
    public void An_unknown_auth_scheme_is_refused_with_every_scheme_there_is()
    {
        var problem = Assert.Single(ConsoleProxyValidator.Validate(Secured(new TargetSecuritySpec { AuthSchemes = ["tlsnone"] })));

        Assert.Equal(("spec.targetSecurity.authSchemes[0]", "'tlsnone' is not a security type the proxy negotiates; use vencrypt, vencrypt-anon, vnc or none"), (problem.Field, problem.Message));
    }
}
