using ConsoleOperator.Kube.Runtime.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConsoleOperator.Kube.Runtime.Health;

/// <summary>Alive while the controller manager has not failed (a failed one also stops the process).</summary>
public sealed class ControllerManagerHealthCheck(ControllerManager manager) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(manager.Failure is { } failure
            ? HealthCheckResult.Unhealthy("the controller manager failed: " + failure.Message)
            : HealthCheckResult.Healthy());
}
