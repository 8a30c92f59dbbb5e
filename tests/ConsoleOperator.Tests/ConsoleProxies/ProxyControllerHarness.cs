using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TestKit.Polling;
using ConsoleOperator.Tests.Builders;
using ConsoleOperator.Tests.Hosting;
using ConsoleOperator.TokenStores;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>
/// The ConsoleProxy controller against a <see cref="ProxyTestCluster"/>, on the shared <see cref="OperatorUnderTest"/>:
/// its informers and the event recorder run in the background; tests either reconcile a key themselves (deterministic: one pass, then look at the log) or start
/// the controller's workers (watches, requeues and retries as in production).
/// </summary>
public sealed class ProxyControllerHarness : IAsyncDisposable
{
    private readonly List<Func<Task<bool>>> _cacheChecks = [];
    private readonly OperatorUnderTest _operator;
    private readonly InformerRegistry _informers;

    private ProxyControllerHarness(ProxyTestCluster cluster, OperatorUnderTest running)
    {
        Cluster = cluster;
        _operator = running;
        var services = running.Services;
        _informers = services.GetRequiredService<InformerRegistry>();
        Events = running.Events;
        // Built as the operator builds it: the runtime's controller (workers, watches) around the reconciler from DI.
        Controller = (Controller<ConsoleProxyResource>)running.Runtime.Manager.Controllers.Single();
        _cacheChecks.Add(CaughtUp(Controller.Primary.Cache, cluster.Proxies));
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

    public Controller<ConsoleProxyResource> Controller { get; }

    public EventRecorder Events { get; }

    public static ConsoleProxyControllerOptions DefaultOptions { get; } = new()
    {
        Defaults = SampleProxies.Defaults,
    };

    /// <summary>Starts the informers and the event recorder and waits until the informers synced.</summary>
    /// <param name="addresses">Where the operator dials a proxy's token store (default: the address the pods use).</param>
    public static async Task<ProxyControllerHarness> StartAsync(ProxyTestCluster cluster, ConsoleProxyControllerOptions? options = null, TimeProvider? time = null, ITokenStoreAddressResolver? addresses = null)
    {
        options ??= DefaultOptions;
        // The operator's own composition (OperatorRuntime) with only this controller, on the cluster's operator client.
        var settings = new OperatorSettings
        {
            Identity = "test",
            Namespace = options.Namespace,
            Defaults = options.Defaults,
            TokenStoreAddresses = addresses ?? EndpointAddressResolver.Instance,
            TokenStoreConnectTimeout = TimeSpan.FromSeconds(1),
            TokenStoreOperationTimeout = TimeSpan.FromSeconds(1),
        };
        var running = OperatorUnderTest.Create(
            cluster.Operator, settings, new MetricsRegistry(), time ?? TimeProvider.System, controllers => controllers.AddConsoleProxyController(options));
        var harness = new ProxyControllerHarness(cluster, running);
        await running.StartInformersAsync(harness.Controller.Informers);
        return harness;
    }

    /// <summary>Runs the controller's workers too (until disposed).</summary>
    public void StartWorkers() => _operator.Run(Controller.RunAsync);

    /// <summary>One reconcile of a ConsoleProxy, after the caches caught up with the server (as a worker would see it).</summary>
    public async Task<ReconcileResult> ReconcileAsync(string name = "console")
    {
        await CaughtUpAsync();
        return await Controller.ReconcileOnceAsync(new ObjectKey(ProxyTestCluster.Namespace, name), CancellationToken.None);
    }

    /// <summary>Waits until every informer cache holds exactly what the server holds.</summary>
    public async Task CaughtUpAsync()
    {
        await Poll.UntilAsync(
            async () =>
            {
                foreach (var check in _cacheChecks)
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

    public ValueTask DisposeAsync() => _operator.DisposeAsync();

    private void Check<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = _informers.Get<T>(ConsoleProxyController.ManagedObjectsSelector);
        _cacheChecks.Add(CaughtUp(informer.Cache, Cluster.Resource(descriptor, typeInfo), ConsoleProxyController.ManagedObjectsSelector));
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
