using ConsoleOperator.Kube.Runtime.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// Runs the controller manager for the host's lifetime. If the manager stops by itself (an error, never a request)
/// the whole process stops and says so: a half-alive operator that answers /healthz but reconciles nothing is worse
/// than a restart.
/// </summary>
public sealed class OperatorHostedService(ControllerManager manager, IHostApplicationLifetime lifetime, ILogger<OperatorHostedService> logger) : BackgroundService
{
    private volatile Exception? _failure;

    /// <summary>Why the manager stopped on its own, or null.</summary>
    public Exception? Failure => _failure;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await manager.RunAsync(stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                _failure = new InvalidOperationException("the controller manager stopped without being asked to");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
        }

        if (_failure is not null)
        {
            logger.LogCritical(_failure, "The operator stopped working; shutting down");
            lifetime.StopApplication();
        }
    }
}
