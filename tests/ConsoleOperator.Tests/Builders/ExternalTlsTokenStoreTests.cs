using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.Proxy;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleOperator.Tests.Builders;

/// <summary>An external token store with a private CA and a client certificate: what the proxy pods are given.</summary>
public sealed class ExternalTlsTokenStoreTests
{
    private static ConsoleProxyResource WithTls(SecretKeyReference? ca, string? clientCertificate)
    {
        var proxy = SampleProxies.External(tls: false);
        return SampleProxies.With(proxy, proxy.Spec with
        {
            TokenStore = new TokenStoreSpec
            {
                External = proxy.Spec.TokenStore.External! with { CaSecretRef = ca, ClientCertificateSecretName = clientCertificate },
            },
        });
    }

    [Fact]
    public void The_CA_and_client_certificate_are_mounted_from_their_Secrets_and_named_to_the_proxy_by_path()
    {
        var proxy = WithTls(new SecretKeyReference { Name = "corp-redis-ca", Key = "bundle.pem" }, "corp-redis-client");

        var data = SampleProxies.Configuration(proxy);
        var pod = SampleProxies.Deployment(proxy, SampleProxies.Defaults).Spec!.Template!.Spec!;
        var container = Assert.Single(pod.Containers);

        // A CA or a client certificate implies TLS even when spec.tokenStore.external.tls is false.
        Assert.Equal("true", data[ProxySettingsContract.RedisTls.EnvironmentVariable]);
        Assert.Equal((ProxyPod.RedisCaFile, ProxyPod.RedisClientCertificateFile, ProxyPod.RedisClientKeyFile), (data[ProxySettingsContract.RedisCa.EnvironmentVariable], data[ProxySettingsContract.RedisClientCert.EnvironmentVariable], data[ProxySettingsContract.RedisClientKey.EnvironmentVariable]));
        var ca = Assert.Single(pod.Volumes, volume => volume.Name == ProxyPod.RedisCaVolumeName);
        Assert.Equal("corp-redis-ca", ca.Secret!.SecretName);
        Assert.Equal(("bundle.pem", "ca.crt"), (Assert.Single(ca.Secret.Items!).Key, ca.Secret.Items![0].Path));
        Assert.Equal("corp-redis-client", Assert.Single(pod.Volumes, volume => volume.Name == ProxyPod.RedisClientVolumeName).Secret!.SecretName);
        Assert.Contains(container.VolumeMounts!, mount => mount.Name == ProxyPod.RedisCaVolumeName && mount.MountPath + "/ca.crt" == ProxyPod.RedisCaFile && mount.ReadOnlyProperty == true);
        Assert.Contains(container.VolumeMounts!, mount => mount.Name == ProxyPod.RedisClientVolumeName && mount.MountPath + "/tls.crt" == ProxyPod.RedisClientCertificateFile && mount.ReadOnlyProperty == true);
    }

    [Fact]
    public void Without_them_nothing_is_mounted_and_the_pods_trust_the_system_CAs()
    {
        var proxy = WithTls(ca: null, clientCertificate: null);

        var data = SampleProxies.Configuration(proxy);
        var pod = SampleProxies.Deployment(proxy, SampleProxies.Defaults).Spec!.Template!.Spec!;

        Assert.Equal("false", data[ProxySettingsContract.RedisTls.EnvironmentVariable]);
        Assert.False(data.ContainsKey(ProxySettingsContract.RedisCa.EnvironmentVariable) || data.ContainsKey(ProxySettingsContract.RedisClientCert.EnvironmentVariable));
        Assert.DoesNotContain(pod.Volumes!, volume => volume.Name is ProxyPod.RedisCaVolumeName or ProxyPod.RedisClientVolumeName);
    }
}
