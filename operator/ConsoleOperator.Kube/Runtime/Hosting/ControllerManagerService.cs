using Microsoft.Extensions.Hosting;

namespace ConsoleOperator.Kube.Runtime.Hosting;

/// <summary>Runs a <see cref="ControllerManager"/> for the lifetime of a .NET host.</summary>
public sealed class ControllerManagerService(ControllerManager manager) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => manager.RunAsync(stoppingToken);
}
