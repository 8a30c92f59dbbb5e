using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// The ConsoleToken controller registered on a manager of its own and running on real time against a
/// <see cref="TokenCluster"/>, as `console-operator run` runs it (unlike the cluster's step-by-step reconciler).
/// </summary>
internal sealed class RunningTokenController : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly Task _running;
    private readonly ServiceProvider _services;

    private RunningTokenController(ServiceProvider services, CancellationTokenSource stopping, Task running)
    {
        _services = services;
        _stopping = stopping;
        _running = running;
    }

    /// <summary>The ConsoleToken controller as the operator composes it (AddConsoleTokenController), on a manager of its own.</summary>
    public static RunningTokenController Start(TokenCluster cluster, ConsoleTokenControllerOptions options, MetricsRegistry? metrics = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton(cluster.Client).AddSingleton(TimeProvider.System).AddSingleton(metrics ?? new MetricsRegistry());
        collection.AddProxyTokenStores(options.TokenStoreAddresses, options.TokenStoreConnectTimeout, options.TokenStoreOperationTimeout);
        collection
            .AddKubernetesOperator(runtime =>
            {
                runtime.ReportingController = OperatorRuntime.ReportingController;
                runtime.Identity = "console-operator-0";
                runtime.Namespace = options.Namespace;
            })
            .AddConsoleTokenController(options);
        var services = collection.BuildServiceProvider();
        var stopping = new CancellationTokenSource();
        return new RunningTokenController(services, stopping, services.GetRequiredService<ControllerManager>().RunAsync(stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        await _services.DisposeAsync();
        _stopping.Dispose();
    }
}
