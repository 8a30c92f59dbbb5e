using ConsoleOperator.Api;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Leases;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Rbac;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Hosting;

/// <summary>
/// The operator's moving parts on one API connection: the event recorder, the ConsoleToken and ConsoleProxy
/// controllers (sharing the token store connections, so TokenStoreReady describes the path tokens take, and one
/// ConsoleProxy informer, so the proxies are listed and watched once) and the
/// controller manager that runs them, under leader election when asked. Dispose it after the manager stopped.
/// </summary>
// Events: created, and patched to count repeats.
[EntityRbac(typeof(Eventsv1Event), Verbs = RbacVerb.Create | RbacVerb.Patch)]
// Leader election: one Lease in the operator's own namespace, read, created once, renewed.
[EntityRbac(typeof(V1Lease), Verbs = RbacVerb.Get | RbacVerb.Create | RbacVerb.Update, Scope = RbacScope.OperatorNamespace)]
public sealed class OperatorRuntime : IAsyncDisposable
{
    /// <summary>The reportingController of every event the operator writes.</summary>
    public const string ReportingController = ApiGroup.Name + "/console-operator";

    private OperatorRuntime(ControllerManager manager, LeaderElector? elector, EventRecorder events, ConsoleTokenControllerSetup tokens, ConsoleProxyController proxies)
    {
        Manager = manager;
        Elector = elector;
        Events = events;
        Tokens = tokens;
        Proxies = proxies;
    }

    public ControllerManager Manager { get; }

    /// <summary>Null without leader election.</summary>
    public LeaderElector? Elector { get; }

    public EventRecorder Events { get; }

    public ConsoleTokenControllerSetup Tokens { get; }

    public ConsoleProxyController Proxies { get; }

    public static OperatorRuntime Create(KubernetesClient client, OperatorSettings settings, MetricsRegistry metrics, TimeProvider time, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logs);
        settings.Validate();

        LeaderElector? elector = null;
        if (settings.LeaderElect)
        {
            var leases = new EntityClient<V1Lease>(client, settings.LeaseNamespace);
            elector = new LeaderElector(
                new KubernetesLeaseStore(leases, settings.LeaseName),
                new LeaderElectionOptions
                {
                    Identity = settings.Identity,
                    LeaseDuration = settings.LeaseDuration,
                    RenewDeadline = settings.RenewDeadline,
                    RetryPeriod = settings.RetryPeriod,
                },
                time,
                logs.CreateLogger<LeaderElector>());
        }

        var manager = new ControllerManager(elector, time, logs.CreateLogger<ControllerManager>());
        var events = new EventRecorder(
            client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>()),
            new EventRecorderOptions { ReportingController = ReportingController, ReportingInstance = settings.Identity },
            time,
            logs.CreateLogger<EventRecorder>());
        manager.AddService("event-recorder", events.RunAsync);

        var tokens = ConsoleTokenControllerSetup.Register(
            manager, client, events, new ConsoleTokenControllerOptions { Namespace = settings.Namespace, TokenStoreAddresses = settings.TokenStoreAddresses }, metrics, time, logs);
        var proxies = ConsoleProxyController.Register(
            manager,
            client,
            events,
            new ConsoleProxyControllerOptions
            {
                Defaults = settings.Defaults,
                Namespace = settings.Namespace,
                RecheckInterval = settings.TokenStoreRecheckInterval,
                TokenStoreAddresses = settings.TokenStoreAddresses,
            },
            tokens.Stores,
            tokens.Proxies,
            metrics,
            time,
            logs);
        return new OperatorRuntime(manager, elector, events, tokens, proxies);
    }

    public async ValueTask DisposeAsync()
    {
        await Proxies.DisposeAsync();
        await Tokens.DisposeAsync();
    }
}
