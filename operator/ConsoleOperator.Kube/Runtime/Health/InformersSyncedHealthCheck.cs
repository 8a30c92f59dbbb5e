using ConsoleOperator.Kube.Runtime.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConsoleOperator.Kube.Runtime.Health;

/// <summary>Ready once every informer has synced, so a standby replica is ready to lead at once.</summary>
public sealed class InformersSyncedHealthCheck(ControllerManager manager) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unsynced = manager.UnsyncedInformers;
        return Task.FromResult(unsynced.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("informers not synced: " + string.Join(", ", unsynced)));
    }
}
