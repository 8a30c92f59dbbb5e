using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleProxy.Tokens.Settings;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Builders;

/// <summary>
/// Everything the operator applies for one ConsoleProxy. The optional ones are null when this ConsoleProxy has
/// none (no autoscaling; an external token store), which tells the controller to delete a leftover one.
/// </summary>
public sealed record ConsoleProxyObjects
{
    public required V1ServiceAccount ServiceAccount { get; init; }

    public required V1ConfigMap ConfigMap { get; init; }

    public required V1Deployment ProxyDeployment { get; init; }

    public required V1Service ProxyService { get; init; }

    public required V1PodDisruptionBudget DisruptionBudget { get; init; }

    public V2HorizontalPodAutoscaler? Autoscaler { get; init; }

    public required V1NetworkPolicy NetworkPolicy { get; init; }

    /// <summary>How the proxies and the operator reach the token store, resolved once for every object here.</summary>
    public required TokenStoreEndpoint TokenStore { get; init; }

    /// <summary>The settings the proxy pods run with (the ConfigMap's variables).</summary>
    public required ProxySettings ProxySettings { get; init; }

    public V1Secret? RedisPasswordSecret { get; init; }

    public V1Secret? VncPasswordKeySecret { get; init; }

    public V1Service? RedisService { get; init; }

    public V1Deployment? RedisDeployment { get; init; }

    /// <summary>
    /// Builds every object of a ConsoleProxy that passed <see cref="Validation.ConsoleProxyValidator"/> and has a uid.
    /// </summary>
    /// <param name="proxy">The ConsoleProxy, with CRD defaults applied (as the API server returns it).</param>
    /// <param name="defaults">The operator's default images.</param>
    /// <param name="redisPassword">For a managed store: the password already in the cluster, a new one, or withheld (render).</param>
    /// <param name="vncPasswordKeys">With spec.targetSecurity: the keyring already in the cluster, a new one, or withheld (render).</param>
    public static ConsoleProxyObjects Build(ConsoleProxyResource proxy, OperatorDefaults defaults, RedisPassword redisPassword, VncPasswordKeys? vncPasswordKeys = null)
    {
        var store = TokenStoreEndpoint.For(proxy);
        return Build(proxy, defaults, redisPassword, vncPasswordKeys, store, ProxyConfiguration.Settings(proxy, store));
    }

    private static ConsoleProxyObjects Build(ConsoleProxyResource proxy, OperatorDefaults defaults, RedisPassword redisPassword, VncPasswordKeys? vncPasswordKeys, TokenStoreEndpoint store, ProxySettings settings) => new()
    {
        TokenStore = store,
        ProxySettings = settings,
        ServiceAccount = ProxyServiceAccountBuilder.Build(proxy).WithTypeMeta(),
        ConfigMap = ProxyConfigMapBuilder.Build(proxy, settings).WithTypeMeta(),
        ProxyDeployment = ProxyDeploymentBuilder.Build(proxy, defaults, store, settings).WithTypeMeta(),
        ProxyService = ProxyServiceBuilder.Build(proxy).WithTypeMeta(),
        DisruptionBudget = ProxyDisruptionBudgetBuilder.Build(proxy).WithTypeMeta(),
        Autoscaler = ProxyAutoscalerBuilder.Build(proxy)?.WithTypeMeta(),
        NetworkPolicy = ProxyNetworkPolicyBuilder.Build(proxy, store).WithTypeMeta(),
        RedisPasswordSecret = RedisPasswordSecretBuilder.Build(proxy, redisPassword)?.WithTypeMeta(),
        VncPasswordKeySecret = VncPasswordKeySecretBuilder.Build(proxy, vncPasswordKeys ?? VncPasswordKeys.Withheld)?.WithTypeMeta(),
        RedisService = RedisServiceBuilder.Build(proxy)?.WithTypeMeta(),
        RedisDeployment = RedisDeploymentBuilder.Build(proxy, defaults)?.WithTypeMeta(),
    };

    /// <summary>
    /// The objects that exist for this ConsoleProxy, in apply order: what a pod needs (identity, configuration, the
    /// token store and its Secret) before the pods that need it, then what points at the pods.
    /// </summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All()
    {
        IKubernetesObject<V1ObjectMeta>?[] ordered =
        [
            ServiceAccount, ConfigMap, RedisPasswordSecret, VncPasswordKeySecret, RedisService, RedisDeployment,
            ProxyDeployment, ProxyService, DisruptionBudget, Autoscaler, NetworkPolicy,
        ];
        return [.. ordered.OfType<IKubernetesObject<V1ObjectMeta>>()];
    }
}
