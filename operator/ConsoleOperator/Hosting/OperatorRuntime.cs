using ConsoleOperator.Api;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Rbac;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConsoleOperator.Hosting;

/// <summary>
/// The operator's moving parts on one API connection, built from DI: the event recorder, the ConsoleToken and
/// ConsoleProxy controllers (sharing the token store connections and the one ConsoleProxy informer) and the controller
/// manager that runs them, under leader election when asked. Dispose it after the manager stopped.
/// </summary>
// Events: created, and patched to count repeats.
[EntityRbac(typeof(Eventsv1Event), Verbs = RbacVerb.Create | RbacVerb.Patch)]
// Leader election: one Lease in the operator's own namespace, read, created once, renewed.
[EntityRbac(typeof(V1Lease), Verbs = RbacVerb.Get | RbacVerb.Create | RbacVerb.Update, InOperatorNamespace = true)]
public sealed class OperatorRuntime : IAsyncDisposable
{
    /// <summary>The reportingController of every event the operator writes.</summary>
    public const string ReportingController = ApiGroup.Name + "/console-operator";

    private readonly ServiceProvider _services;

    private OperatorRuntime(ServiceProvider services)
    {
        _services = services;
        Manager = services.GetRequiredService<ControllerManager>();
    }

    /// <summary>The composition's services (the controllers, the token stores, the informer registry, ...).</summary>
    public IServiceProvider Services => _services;

    public ControllerManager Manager { get; }

    public EventRecorder Events => _services.GetRequiredService<EventRecorder>();

    /// <summary>
    /// The operator as <see cref="ConsoleOperatorServices.AddConsoleOperator"/> composes it, on an existing client and
    /// without a web host: what tests and benchmarks run. Settings that cannot work throw, as the host refuses to start.
    /// </summary>
    public static OperatorRuntime Create(KubernetesClient client, OperatorSettings settings, MetricsRegistry metrics, TimeProvider time, ILoggerFactory logs) =>
        Create(client, settings, metrics, time, logs, controllers: null);

    /// <summary>
    /// The operator's runtime (<see cref="ConsoleOperatorServices.AddConsoleOperatorRuntime"/>: token store connections,
    /// informers, events, the manager) with only the controllers <paramref name="controllers"/> adds, each with its
    /// own options: a test of one controller runs it as the operator composes it, without the other one writing to
    /// the same cluster. Null adds both, from <paramref name="settings"/>.
    /// </summary>
    public static OperatorRuntime Create(
        KubernetesClient client, OperatorSettings settings, MetricsRegistry metrics, TimeProvider time, ILoggerFactory logs, Action<OperatorBuilder>? controllers)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logs);
        settings.Validate();
        var collection = new ServiceCollection();
        collection.AddSingleton(logs);
        collection.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        collection.AddSingleton(client).AddSingleton(metrics).AddSingleton(time);
        if (controllers is null)
        {
            collection.AddConsoleOperator(settings);
        }
        else
        {
            controllers(collection.AddConsoleOperatorRuntime(settings));
        }

        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        // What ValidateOnStart does in a host: the options are checked before anything runs.
        _ = provider.GetRequiredService<IOptions<OperatorOptions>>().Value;
        return new OperatorRuntime(provider);
    }

    /// <summary>Closes what the composition opened (token store connections); call after the manager stopped.</summary>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
