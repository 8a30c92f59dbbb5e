using System.Globalization;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Validation;
using ConsoleOperator.Kube.Runtime.Conditions;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// Computes a ConsoleProxy's status from what the reconcile saw. Pure apart from the clock, which only stamps a
/// condition whose status flips (the current conditions carry their transition times over otherwise).
/// </summary>
public static class ConsoleProxyStatusBuilder
{
    /// <summary>The status after a reconcile that applied everything.</summary>
    public static ConsoleProxyStatus Reconciled(ConsoleProxyResource proxy, V1Deployment proxyDeployment, TokenStoreHealth tokenStore, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(proxyDeployment);
        ArgumentNullException.ThrowIfNull(tokenStore);
        var rollout = ProxyRollout.From(proxyDeployment);
        var generation = proxy.Metadata.Generation;
        var describe = $"kubectl -n {proxy.Metadata.NamespaceProperty} describe deployment {proxyDeployment.Metadata.Name}";
        var ready = rollout switch
        {
            { Desired: 0 } => Condition(ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.ScaledToZero,
                "the proxy Deployment has 0 replicas: no pod serves consoles; raise spec.replicas (or autoscaling.minReplicas)", generation),
            { IsAvailable: false } => Condition(ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.PodsNotReady,
                Invariant($"{rollout.Available} of {rollout.Desired} proxy pods available; see {describe}"), generation),
            _ when !tokenStore.IsReachable => Condition(ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.TokenStoreUnreachable,
                "the proxy pods are available but the token store is not (see TokenStoreReady): no token can be minted", generation),
            _ => Condition(ConsoleProxyConditions.Ready, ConditionStatus.True, ConsoleProxyReasons.ProxiesAvailable,
                Invariant($"{rollout.Available} of {rollout.Desired} proxy pods available and the token store reachable"), generation),
        };
        var progressing = rollout.InProgress
            ? Condition(ConsoleProxyConditions.Progressing, ConditionStatus.True, ConsoleProxyReasons.RollingOut,
                Invariant($"{rollout.Updated} of {rollout.Desired} proxy pods updated, {rollout.Current} running"), generation)
            : Condition(ConsoleProxyConditions.Progressing, ConditionStatus.False, ConsoleProxyReasons.RolloutComplete,
                Invariant($"all {rollout.Desired} proxy pods run the current configuration"), generation);
        var degraded = rollout.Failure is { } failure
            ? Condition(ConsoleProxyConditions.Degraded, ConditionStatus.True, ConsoleProxyReasons.RolloutStuck,
                $"the proxy rollout is stuck ({failure}); see {describe} and the pods' events", generation)
            : Condition(ConsoleProxyConditions.Degraded, ConditionStatus.False, ConsoleProxyReasons.AsExpected,
                "every object is applied as the spec asks", generation);
        var store = Condition(ConsoleProxyConditions.TokenStoreReady, tokenStore.Status, tokenStore.Reason, tokenStore.Message, generation);
        return Compose(proxy, proxyDeployment, [ready, progressing, degraded, store], time);
    }

    /// <summary>The status of a ConsoleProxy the validator refused: nothing was applied; the Degraded message says what to fix.</summary>
    public static ConsoleProxyStatus Invalid(ConsoleProxyResource proxy, IReadOnlyList<ValidationProblem> problems, V1Deployment? proxyDeployment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(problems);
        var generation = proxy.Metadata.Generation;
        List<V1Condition> conditions =
        [
            Condition(ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.InvalidSpec,
                "the spec is invalid (see Degraded); nothing is applied until it is fixed", generation),
            Condition(ConsoleProxyConditions.Progressing, ConditionStatus.False, ConsoleProxyReasons.InvalidSpec,
                "no rollout while the spec is invalid", generation),
            Condition(ConsoleProxyConditions.Degraded, ConditionStatus.True, ConsoleProxyReasons.InvalidSpec, InvalidSpecMessage(problems), generation),
        ];
        if (StatusConditions.Find(proxy.Status?.Conditions, ConsoleProxyConditions.TokenStoreReady) is null)
        {
            conditions.Add(Condition(ConsoleProxyConditions.TokenStoreReady, ConditionStatus.Unknown, ConsoleProxyReasons.InvalidSpec,
                "not checked while the spec is invalid", generation));
        }

        return Compose(proxy, proxyDeployment, conditions, time);
    }

    /// <summary>The status when the API server refused an object the operator built (a bug or an admission policy): a person must look.</summary>
    public static ConsoleProxyStatus Rejected(ConsoleProxyResource proxy, string message, V1Deployment? proxyDeployment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentException.ThrowIfNullOrEmpty(message);
        var generation = proxy.Metadata.Generation;
        return Compose(proxy, proxyDeployment,
        [
            Condition(ConsoleProxyConditions.Ready, ConditionStatus.False, ConsoleProxyReasons.ApplyRejected,
                "the API server refused an object of this proxy (see Degraded)", generation),
            Condition(ConsoleProxyConditions.Degraded, ConditionStatus.True, ConsoleProxyReasons.ApplyRejected, Truncate(message), generation),
        ], time);
    }

    /// <summary>The one-line summary of the validation problems, field first, as an event note and a condition message.</summary>
    public static string InvalidSpecMessage(IReadOnlyList<ValidationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return Truncate("fix the spec: " + string.Join("; ", problems.Select(problem => problem.ToString())));
    }

    private static ConsoleProxyStatus Compose(ConsoleProxyResource proxy, V1Deployment? proxyDeployment, IEnumerable<V1Condition> desired, TimeProvider time) => new()
    {
        ObservedGeneration = proxy.Metadata.Generation,
        Replicas = proxyDeployment?.Status?.Replicas ?? 0,
        ReadyReplicas = proxyDeployment?.Status?.ReadyReplicas ?? 0,
        Url = proxy.Spec.PublicUrl,
        Conditions = StatusConditions.Merge(proxy.Status?.Conditions, desired, time),
    };

    private static V1Condition Condition(string type, string status, string reason, string message, long? generation) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
    };

    private static string Truncate(string message) =>
        message.Length <= StatusConditions.MaxMessageLength ? message : message[..(StatusConditions.MaxMessageLength - 1)] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
