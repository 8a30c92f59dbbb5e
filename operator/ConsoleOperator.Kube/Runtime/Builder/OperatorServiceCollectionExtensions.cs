using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Health;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>The entry point, KubeOps' <c>AddKubernetesOperator</c>.</summary>
public static class OperatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: the API client (from a <see cref="KubernetesClientConfiguration"/> the caller registers), shared
    /// informers, the event recorder, leader election when configured, the controller manager run as a hosted service,
    /// metrics and the health checks behind /healthz and /readyz (<see cref="HealthEndpoints.MapOperatorEndpoints"/>).
    /// <paramref name="configure"/> is validated when the host starts.
    /// </summary>
    public static OperatorBuilder AddKubernetesOperator(this IServiceCollection services, Action<OperatorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<OperatorOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MetricsRegistry>();
        services.TryAddSingleton(provider => new KubernetesClient(
            provider.GetRequiredService<KubernetesClientConfiguration>(),
            new KubernetesClientOptions(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<KubernetesClient>>()));
        services.TryAddSingleton<InformerRegistry>();
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OperatorOptions>>().Value;
            return new EventRecorder(
                provider.GetRequiredService<KubernetesClient>().Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>()),
                options.ReportingController,
                options.Identity,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<EventRecorder>>());
        });
        services.TryAddSingleton(CreateManager);
        services.AddHostedService(provider => provider.GetRequiredService<ControllerManager>());
        services.AddHealthChecks().AddOperatorChecks();
        return new OperatorBuilder(services).AddService("event-recorder", provider => provider.GetRequiredService<EventRecorder>().RunAsync);
    }

    /// <summary>
    /// The manager with every service and controller added. The controllers and loops are built (and so resolved) here,
    /// so every informer they ask the registry for exists before the manager is started and runs with it.
    /// </summary>
    private static ControllerManager CreateManager(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<OperatorOptions>>().Value;
        var time = provider.GetRequiredService<TimeProvider>();
        var controllers = provider.GetServices<IController>().ToList();
        var background = provider.GetServices<BackgroundLoop>().Select(loop => (loop.Name, loop.Run(provider))).ToList();
        return new ControllerManager(
            controllers,
            provider.GetRequiredService<InformerRegistry>().All,
            background,
            options.LeaderElection is null ? null : new LeaderElector(
                provider.GetRequiredService<KubernetesClient>().Resource<V1Lease>(options.LeaseNamespace),
                options.LeaseName,
                options.LeaderElection with { Identity = options.Identity },
                time,
                provider.GetRequiredService<ILogger<LeaderElector>>()),
            time,
            provider.GetRequiredService<ILogger<ControllerManager>>(),
            provider.GetService<IHostApplicationLifetime>());
    }
}
