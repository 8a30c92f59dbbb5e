using ConsoleOperator.Kube.Runtime.Builder;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConsoleOperator.Kube.Runtime.Health;

/// <summary>Alive while the controller manager has not failed (a failed one also stops the process).</summary>
public sealed class ControllerManagerHealthCheck(OperatorHostedService service) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(service.Failure is { } failure
            ? HealthCheckResult.Unhealthy("the controller manager failed: " + failure.Message)
            : HealthCheckResult.Healthy());
}
