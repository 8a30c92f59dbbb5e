using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Testing.Polling;
using ConsoleOperator.Tests.Builders;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>
/// The ConsoleProxy controller against a <see cref="ProxyTestCluster"/>: its informers and the event recorder run in
/// the background; tests either reconcile a key themselves (deterministic: one pass, then look at the log) or start
/// the controller's workers (watches, requeues and retries as in production).
/// </summary>
public sealed class ProxyControllerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> background = [];
    private readonly List<Func<Task<bool>>> cacheChecks = [];

    private ProxyControllerHarness(ProxyTestCluster cluster, ConsoleProxyController controller, EventRecorder events)
    {
        Cluster = cluster;
        Controller = controller;
        Events = events;
        cacheChecks.Add(CaughtUp(controller.Proxies.Cache, cluster.Proxies));
        Check(KnownResources.ServiceAccount, EntityJson.TypeInfo<V1ServiceAccount>());
        Check(KnownResources.ConfigMap, EntityJson.TypeInfo<V1ConfigMap>());
        Check(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());
        Check(KnownResources.Service, EntityJson.TypeInfo<V1Service>());
        Check(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>());
        Check(KnownResources.PodDisruptionBudget, EntityJson.TypeInfo<V1PodDisruptionBudget>());
        Check(KnownResources.HorizontalPodAutoscaler, EntityJson.TypeInfo<V2HorizontalPodAutoscaler>());
        Check(KnownResources.NetworkPolicy, EntityJson.TypeInfo<V1NetworkPolicy>());
    }

    public ProxyTestCluster Cluster { get; }

    public ConsoleProxyController Controller { get; }

    public EventRecorder Events { get; }

    public static ConsoleProxyControllerOptions DefaultOptions { get; } = new()
    {
        Defaults = SampleProxies.Defaults,
        TokenStoreConnectTimeout = TimeSpan.FromSeconds(1),
        TokenStoreOperationTimeout = TimeSpan.FromSeconds(1),
    };

    /// <summary>Starts the informers and the event recorder and waits until the informers synced.</summary>
    public static async Task<ProxyControllerHarness> StartAsync(ProxyTestCluster cluster, ConsoleProxyControllerOptions? options = null, TimeProvider? time = null)
    {
        var events = new EventRecorder(
            cluster.Operator.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>()),
            new EventRecorderOptions { ReportingController = "consoleoperator.dev/console-operator", ReportingInstance = "test" });
        var controller = ConsoleProxyController.Create(cluster.Operator, events, options ?? DefaultOptions, timeProvider: time);
        var harness = new ProxyControllerHarness(cluster, controller, events);
        harness.background.Add(Task.Run(() => events.RunAsync(harness.stopping.Token)));
        foreach (var informer in controller.Controller.Informers)
        {
            harness.background.Add(Task.Run(() => informer.RunAsync(harness.stopping.Token)));
        }

        foreach (var informer in controller.Controller.Informers)
        {
            Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None), $"informer {informer.Name} synced");
        }

        return harness;
    }

    /// <summary>Runs the controller's workers too (until disposed).</summary>
    public void StartWorkers() => background.Add(Task.Run(() => Controller.Controller.RunAsync(stopping.Token)));

    /// <summary>One reconcile of a ConsoleProxy, after the caches caught up with the server (as a worker would see it).</summary>
    public async Task<ReconcileResult> ReconcileAsync(string name = "console")
    {
        await CaughtUpAsync();
        return await Controller.Reconciler.ReconcileAsync(new ObjectKey(ProxyTestCluster.Namespace, name), CancellationToken.None);
    }

    /// <summary>Waits until every informer cache holds exactly what the server holds.</summary>
    public async Task CaughtUpAsync()
    {
        await Poll.UntilAsync(
            async () =>
            {
                foreach (var check in cacheChecks)
                {
                    if (!await check())
                    {
                        return false;
                    }
                }

                return true;
            },
            "the informer caches match the server");
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(background);
        await Controller.DisposeAsync();
        stopping.Dispose();
    }

    private void Check<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = Controller.Owned.OfType<OwnedKind<T>>().Single();
        cacheChecks.Add(CaughtUp(kind.TypedInformer.Cache, Cluster.Resource(descriptor, typeInfo), ConsoleProxyController.ManagedObjectsSelector));
    }

    private static Func<Task<bool>> CaughtUp<T>(Kube.Runtime.Informers.InformerCache<T> cache, ResourceClient<T> server, string? labelSelector = null)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        async () =>
        {
            var listed = await server.ListAsync(new ListOptions { LabelSelector = labelSelector });
            var expected = listed.Items.ToDictionary(item => item.Metadata.Name!, item => item.Metadata.ResourceVersion, StringComparer.Ordinal);
            var cached = cache.List(ProxyTestCluster.Namespace).ToDictionary(item => item.Metadata.Name!, item => item.Metadata.ResourceVersion, StringComparer.Ordinal);
            return expected.Count == cached.Count && expected.All(pair => cached.TryGetValue(pair.Key, out var version) && version == pair.Value);
        };
}
