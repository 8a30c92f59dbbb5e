using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>ConsoleProxy specs as a person would write them.</summary>
public static class ProxySpecs
{
    public static ConsoleProxySpec Managed() => new()
    {
        PublicUrl = "https://console.example.com",
        TokenStore = new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() },
        Tokens = new TokenPolicySpec { AllowedTargets = ["10.20.0.0/16:5900-5999"] },
    };

    public static ConsoleProxySpec External(string address, SecretKeyReference? password = null) => Managed() with
    {
        TokenStore = new TokenStoreSpec { External = new ExternalTokenStoreSpec { Address = address, PasswordSecretRef = password } },
    };
}
