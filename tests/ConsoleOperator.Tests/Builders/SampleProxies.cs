using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.TokenStore;
using ConsoleProxy.Tokens.Settings;
using k8s.Models;

namespace ConsoleOperator.Tests.Builders;

/// <summary>ConsoleProxies as the API server would hand them to the controller (defaults filled in, a uid assigned).</summary>
public static class SampleProxies
{
    public const string Uid = "8f1d2c3b-4a5e-4f60-9718-293a4b5c6d7e";

    public static OperatorDefaults Defaults { get; } = new("registry.example/consoleproxy:9.9.9", "registry.example/redis:7");

    public static ConsoleProxyResource Managed(string name = "console", string ns = "consoles") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = Uid, Generation = 1 },
        Spec = new ConsoleProxySpec
        {
            PublicUrl = "https://console.example.com",
            TokenStore = new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() },
            Tokens = new TokenPolicySpec { AllowedTargets = ["10.20.0.0/16:5900-5999"] },
        },
    };

    public static ConsoleProxyResource External(string address = "10.30.0.15:6379", bool tls = true, SecretKeyReference? password = null)
    {
        var proxy = Managed();
        return With(proxy, proxy.Spec with
        {
            TokenStore = new TokenStoreSpec
            {
                External = new ExternalTokenStoreSpec
                {
                    Address = address,
                    Tls = tls,
                    PasswordSecretRef = password ?? new SecretKeyReference { Name = "shared-redis", Key = "auth" },
                },
            },
        });
    }

    /// <summary>A copy with another spec; the metadata is copied too so tests never share mutable state.</summary>
    public static ConsoleProxyResource With(ConsoleProxyResource proxy, ConsoleProxySpec spec) =>
        proxy with { Metadata = proxy.Metadata with { }, Spec = spec };

    /// <summary>The proxy's settings as the reconcile builds them: its token store resolved once.</summary>
    public static ProxySettings Settings(ConsoleProxyResource proxy) => ProxyConfiguration.Settings(proxy, TokenStoreEndpoint.For(proxy));

    /// <summary>The ConfigMap's variables.</summary>
    public static IReadOnlyDictionary<string, string> Configuration(ConsoleProxyResource proxy) => Settings(proxy).ToEnvironment();

    public static V1ConfigMap ConfigMap(ConsoleProxyResource proxy) => ProxyConfigMapBuilder.Build(proxy, Settings(proxy));

    public static V1Deployment Deployment(ConsoleProxyResource proxy, OperatorDefaults defaults) =>
        ProxyDeploymentBuilder.Build(proxy, defaults, TokenStoreEndpoint.For(proxy), Settings(proxy));

    public static V1NetworkPolicy NetworkPolicy(ConsoleProxyResource proxy) => ProxyNetworkPolicyBuilder.Build(proxy, TokenStoreEndpoint.For(proxy));
}
