using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>Where the proxy Deployment's rollout stands, read from its status the way `kubectl rollout status` reads it.</summary>
/// <param name="Desired">Pods asked for (the Deployment's spec.replicas; 1 when unset, as the API server defaults it).</param>
/// <param name="Current">Pods that exist, old and new.</param>
/// <param name="Updated">Pods of the current template.</param>
/// <param name="Ready">Pods passing their readiness probe.</param>
/// <param name="Available">Pods ready for at least minReadySeconds.</param>
/// <param name="GenerationObserved">Whether the Deployment controller has seen the latest spec.</param>
/// <param name="Failure">What the Deployment controller reports as failed (progress deadline, replica failure), or null.</param>
public sealed record ProxyRollout(int Desired, int Current, int Updated, int Ready, int Available, bool GenerationObserved, string? Failure)
{
    /// <summary>A new template or scale is still being rolled out.</summary>
    public bool InProgress => !GenerationObserved || Updated < Desired || Current > Updated;

    /// <summary>Every desired pod is available (the proxy Deployment allows no unavailability during a rollout).</summary>
    public bool IsAvailable => Desired > 0 && GenerationObserved && Available >= Desired && Ready > 0;

    public static ProxyRollout From(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var status = deployment.Status ?? new V1DeploymentStatus();
        var failure = status.Conditions?.FirstOrDefault(condition =>
            (condition.Type == "Progressing" && condition.Status == "False" && condition.Reason == "ProgressDeadlineExceeded")
            || (condition.Type == "ReplicaFailure" && condition.Status == "True"));
        return new ProxyRollout(
            deployment.Spec?.Replicas ?? 1,
            status.Replicas ?? 0,
            status.UpdatedReplicas ?? 0,
            status.ReadyReplicas ?? 0,
            status.AvailableReplicas ?? 0,
            (status.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0),
            failure is null ? null : $"{failure.Reason}: {failure.Message}");
    }
}
