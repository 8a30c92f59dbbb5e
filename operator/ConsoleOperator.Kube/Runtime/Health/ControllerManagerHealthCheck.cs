using ConsoleOperator.Kube.Runtime.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConsoleOperator.Kube.Runtime.Health;

/// <summary>
/// The runtime's two probes of the controller manager: alive while it has not failed (a failed one also stops the
/// process); with <paramref name="readiness"/>, ready once every informer has synced, so a standby replica is ready to
/// lead at once.
/// </summary>
public sealed class ControllerManagerHealthCheck(ControllerManager manager, bool readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = readiness
            ? manager.UnsyncedInformers is { Count: > 0 } unsynced ? "informers not synced: " + string.Join(", ", unsynced) : null
            : manager.Failure is { } failure ? "the controller manager failed: " + failure.Message : null;
        return Task.FromResult(problem is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(problem));
    }
}
