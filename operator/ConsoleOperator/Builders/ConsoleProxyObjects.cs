using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Client.Models.Apps;
using ConsoleOperator.Kube.Client.Models.Autoscaling;
using ConsoleOperator.Kube.Client.Models.Core;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Models.Networking;
using ConsoleOperator.Kube.Client.Models.Policy;

namespace ConsoleOperator.Builders;

/// <summary>
/// Everything the operator applies for one ConsoleProxy. The optional ones are null when this ConsoleProxy has
/// none (no autoscaling; an external token store), which tells the controller to delete a leftover one.
/// </summary>
public sealed record ConsoleProxyObjects
{
    public required ServiceAccount ServiceAccount { get; init; }

    public required ConfigMap ConfigMap { get; init; }

    public required Deployment ProxyDeployment { get; init; }

    public required Service ProxyService { get; init; }

    public required PodDisruptionBudget DisruptionBudget { get; init; }

    public HorizontalPodAutoscaler? Autoscaler { get; init; }

    public required NetworkPolicy NetworkPolicy { get; init; }

    public Secret? RedisPasswordSecret { get; init; }

    public Service? RedisService { get; init; }

    public Deployment? RedisDeployment { get; init; }

    /// <summary>
    /// Builds every object of a ConsoleProxy that passed <see cref="Validation.ConsoleProxyValidator"/> and has a uid.
    /// </summary>
    /// <param name="proxy">The ConsoleProxy, with CRD defaults applied (as the API server returns it).</param>
    /// <param name="defaults">The operator's default images.</param>
    /// <param name="redisPassword">For a managed store: the password already in the cluster, a new one, or withheld (render).</param>
    public static ConsoleProxyObjects Build(ConsoleProxyResource proxy, OperatorDefaults defaults, RedisPassword redisPassword) => new()
    {
        ServiceAccount = ProxyServiceAccountBuilder.Build(proxy),
        ConfigMap = ProxyConfigMapBuilder.Build(proxy),
        ProxyDeployment = ProxyDeploymentBuilder.Build(proxy, defaults),
        ProxyService = ProxyServiceBuilder.Build(proxy),
        DisruptionBudget = ProxyDisruptionBudgetBuilder.Build(proxy),
        Autoscaler = ProxyAutoscalerBuilder.Build(proxy),
        NetworkPolicy = ProxyNetworkPolicyBuilder.Build(proxy),
        RedisPasswordSecret = RedisPasswordSecretBuilder.Build(proxy, redisPassword),
        RedisService = RedisServiceBuilder.Build(proxy),
        RedisDeployment = RedisDeploymentBuilder.Build(proxy, defaults),
    };

    /// <summary>
    /// The objects that exist for this ConsoleProxy, in apply order: what a pod needs (identity, configuration, the
    /// token store and its Secret) before the pods that need it, then what points at the pods.
    /// </summary>
    public IReadOnlyList<IKubernetesObject> All()
    {
        IKubernetesObject?[] ordered =
        [
            ServiceAccount, ConfigMap, RedisPasswordSecret, RedisService, RedisDeployment,
            ProxyDeployment, ProxyService, DisruptionBudget, Autoscaler, NetworkPolicy,
        ];
        return [.. ordered.OfType<IKubernetesObject>()];
    }
}
