using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Models.Core;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Serialization;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>
/// One replica of a widget operator wired the way a real operator is: informers for Widgets and their ConfigMaps, a
/// controller with the <see cref="WidgetReconciler"/>, a controller manager (optionally with leader election), metrics.
/// </summary>
public sealed class WidgetOperator : IAsyncDisposable
{
    public const string ControllerName = "widgets";

    private readonly CancellationTokenSource stopping = new();
    private Task? run;

    public WidgetOperator(TestCluster cluster, KubernetesClient client, LeaderElector? elector = null, int workers = 2, EventRecorder? events = null, InformerOptions? informerOptions = null)
    {
        Logs = new CapturingLoggerFactory();
        Metrics = new MetricsRegistry();
        var fast = informerOptions ?? new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        Widgets = new Informer<KubernetesObject>(
            client.Resource(TestCluster.WidgetResource, KubernetesJsonContext.Default.KubernetesObject), fast with { Name = "widgets" }, loggerFactory: Logs);
        ConfigMaps = new Informer<ConfigMap>(
            client.Resource(KnownResources.ConfigMap, KubernetesJsonContext.Default.ConfigMap),
            fast with { Name = "widget-configmaps", LabelSelector = "example.dev/widget" },
            loggerFactory: Logs);
        Reconciler = new WidgetReconciler(Widgets, ConfigMaps, cluster, events);
        Controller = new Controller<KubernetesObject>(
            ControllerName,
            Widgets,
            Reconciler,
            new ControllerOptions
            {
                Workers = workers,
                Metrics = Metrics,
                CacheSyncTimeout = TimeSpan.FromSeconds(10),
                RateLimiter = _ => new ConsoleOperator.Kube.Runtime.Queue.ExponentialFailureRateLimiter<ConsoleOperator.Kube.Runtime.ObjectKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(200)),
            },
            loggerFactory: Logs);
        Controller.Watches(ConfigMaps, KeyMappers.ByControllerOwner<ConfigMap>(TestCluster.WidgetResource.ApiVersion, TestCluster.WidgetResource.Kind));
        Manager = new ControllerManager(elector, logger: new Logger<ControllerManager>(Logs));
        Manager.AddController(Controller);
        if (events is not null)
        {
            Manager.AddService("events", events.RunAsync);
        }
    }

    public CapturingLoggerFactory Logs { get; }

    public MetricsRegistry Metrics { get; }

    public Informer<KubernetesObject> Widgets { get; }

    public Informer<ConfigMap> ConfigMaps { get; }

    public WidgetReconciler Reconciler { get; }

    public Controller<KubernetesObject> Controller { get; }

    public ControllerManager Manager { get; }

    public WidgetOperator Start()
    {
        run = Task.Run(() => Manager.RunAsync(stopping.Token));
        return this;
    }

    /// <summary>Stops the replica (as on SIGTERM) and waits for it to finish.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        if (run is not null)
        {
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The value of one counter series, read as Prometheus would (0 when absent).</summary>
    public Task<double> CounterAsync(string name, params (string Label, string Value)[] labels) => MetricsReader.ValueAsync(Metrics, name, labels);

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await StopAsync();
        }

        stopping.Dispose();
    }
}
