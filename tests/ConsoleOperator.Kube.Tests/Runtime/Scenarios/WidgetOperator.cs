using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>
/// One replica of a widget operator wired the way a real operator is: informers for Widgets and their ConfigMaps, a
/// controller running the <see cref="WidgetController"/> (also its finalizer), a controller manager (optionally with leader election), metrics.
/// </summary>
public sealed class WidgetOperator : IAsyncDisposable
{
    public const string ControllerName = "widgets";

    private readonly CancellationTokenSource _stopping = new();
    private Task? _run;

    public WidgetOperator(TestCluster cluster, KubernetesClient client, LeaderElector? elector = null, int workers = 2, EventRecorder? events = null, InformerOptions? informerOptions = null, TimeSpan? cacheSyncTimeout = null)
    {
        Logs = new CapturingLoggerFactory();
        Metrics = new MetricsRegistry();
        var fast = informerOptions ?? new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        Widgets = new Informer<UntypedObject>(
            client.Resource(TestCluster.WidgetResource, EntityJson.TypeInfo<UntypedObject>()), fast with { Name = "widgets" }, loggerFactory: Logs);
        ConfigMaps = new Informer<V1ConfigMap>(
            client.Resource(KnownResources.ConfigMap, EntityJson.TypeInfo<V1ConfigMap>()),
            fast with { Name = "widget-configmaps", LabelSelector = "example.dev/widget" },
            loggerFactory: Logs);
        Reconciler = new WidgetController(ConfigMaps, cluster, events);
        Controller = new Controller<UntypedObject>(
            ControllerName,
            Widgets,
            cluster.Widgets,
            Reconciler,
            [new(WidgetController.Finalizer, Reconciler)],
            new ControllerOptions
            {
                Workers = workers,
                Metrics = Metrics,
                CacheSyncTimeout = cacheSyncTimeout ?? TimeSpan.FromSeconds(10),
                RateLimiter = _ => new ConsoleOperator.Kube.Runtime.Queue.BackoffRateLimiter<ConsoleOperator.Kube.Runtime.ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(200), null, 1, TimeProvider.System),
            },
            loggerFactory: Logs);
        Controller.Owns(ConfigMaps);
        Manager = new ControllerManager(
            [Controller], services: events is null ? null : [("events", events.RunAsync)], elector: elector, logger: new Logger<ControllerManager>(Logs));
    }

    public CapturingLoggerFactory Logs { get; }

    public MetricsRegistry Metrics { get; }

    public Informer<UntypedObject> Widgets { get; }

    public Informer<V1ConfigMap> ConfigMaps { get; }

    public WidgetController Reconciler { get; }

    public Controller<UntypedObject> Controller { get; }

    public ControllerManager Manager { get; }

    public WidgetOperator Start()
    {
        _run = Task.Run(() => Manager.RunAsync(_stopping.Token));
        return this;
    }

    /// <summary>Stops the replica (as on SIGTERM) and waits for it to finish.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The value of one counter series, read as Prometheus would (0 when absent).</summary>
    public Task<double> CounterAsync(string name, params (string Label, string Value)[] labels) => MetricsReader.ValueAsync(Metrics, name, labels);

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stopping.Dispose();
    }
}
