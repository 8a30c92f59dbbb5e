using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// The ConsoleToken controller registered on a manager of its own and running on real time against a
/// <see cref="TokenCluster"/>, as `console-operator run` runs it (unlike the cluster's step-by-step reconciler).
/// </summary>
internal sealed class RunningTokenController : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping;
    private readonly Task running;

    private RunningTokenController(ConsoleTokenControllerSetup controller, CancellationTokenSource stopping, Task running)
    {
        Controller = controller;
        this.stopping = stopping;
        this.running = running;
    }

    public ConsoleTokenControllerSetup Controller { get; }

    public static RunningTokenController Start(TokenCluster cluster, ConsoleTokenControllerOptions options, MetricsRegistry? metrics = null)
    {
        var manager = new ControllerManager();
        var events = new EventRecorder(
            cluster.Client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>()),
            new EventRecorderOptions { ReportingController = "consoleoperator.dev/console-operator", ReportingInstance = "console-operator-0" });
        manager.AddService("events", events.RunAsync);
        var controller = ConsoleTokenControllerSetup.Register(manager, cluster.Client, events, options, metrics);
        var stopping = new CancellationTokenSource();
        return new RunningTokenController(controller, stopping, manager.RunAsync(stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await running;
        await Controller.DisposeAsync();
        stopping.Dispose();
    }
}
