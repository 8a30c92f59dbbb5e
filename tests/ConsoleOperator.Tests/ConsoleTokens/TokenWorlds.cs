using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>ConsoleTokens, proxies and Secrets as a reconcile finds them, for the pure lifecycle functions.</summary>
internal static class TokenWorlds
{
    public static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static ConsoleTokenResource Token(ConsoleTokenPhase? phase = null, int ttlSecondsAfterExpiry = 3600, string name = "vm-1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "consoles", Uid = "0b8e7c2e-" + name, Generation = 3 },
        Spec = new ConsoleTokenSpec
        {
            ProxyRef = new ProxyReference { Name = "edge" },
            Target = new TargetSpec { Host = "10.20.0.7", Port = 5901 },
            TtlSecondsAfterExpiry = ttlSecondsAfterExpiry,
        },
        Status = phase is null ? null : new ConsoleTokenStatus { Phase = phase },
    };

    public static ConsoleProxyResource Proxy() => new()
    {
        Metadata = new V1ObjectMeta { Name = "edge", NamespaceProperty = "consoles", Uid = "5c1d-edge", Generation = 1 },
        Spec = new ConsoleProxySpec { PublicUrl = "https://console.example.com" },
    };

    public static MintedToken Minted(TimeSpan? lifetime = null) =>
        MintedToken.Mint("https://console.example.com", Now, lifetime ?? TimeSpan.FromMinutes(10));

    /// <summary>The token's own Secret holding <paramref name="minted"/>.</summary>
    public static V1Secret SecretOf(ConsoleTokenResource token, MintedToken minted, bool terminating = false)
    {
        var secret = ConsoleTokenSecret.Build(token, minted, ConsoleTokenControllerOptions.DefaultFinalizer);
        secret.Metadata.DeletionTimestamp = terminating ? Now.UtcDateTime : null;
        return secret;
    }

    /// <summary>The world of a token whose Secret holds <paramref name="minted"/>, as the loader builds it.</summary>
    public static ConsoleTokenWorld Minted(ConsoleTokenResource token, MintedToken minted, ConsoleProxyResource? proxy, bool secretTerminating = false) =>
        new(token, proxy, SecretOf(token, minted, secretTerminating), minted, null, null);

    public static V1Condition Ready(ConsoleTokenResource token, string status, string reason, DateTimeOffset since) => new()
    {
        Type = ConsoleTokenConditions.Ready,
        Status = status,
        Reason = reason,
        Message = reason,
        ObservedGeneration = token.Metadata.Generation,
        LastTransitionTime = since.UtcDateTime,
    };

    public static V1Condition Condition(ConsoleTokenStatus status, string type) =>
        StatusConditions.Find(status.Conditions, type) ?? throw new Xunit.Sdk.XunitException($"no {type} condition");
}
