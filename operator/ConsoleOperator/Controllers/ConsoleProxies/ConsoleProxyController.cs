using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Rbac;
using ConsoleOperator.TokenStores;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// The ConsoleProxy controller wired on the runtime: reconciles ConsoleProxies and hears about every object they
/// own (mapped to the owner by its controller reference), so a deleted Service or an edited Deployment is repaired
/// and a Deployment's rollout shows in the status. Dispose it after the manager stopped: it closes the token store
/// connections it opened itself.
/// </summary>
// ConsoleProxies are read and watched, never written but for their status (server-side apply).
[EntityRbac(typeof(ConsoleProxyResource), Verbs = RbacVerb.List | RbacVerb.Watch)]
[EntityRbac(typeof(ConsoleProxyResource), Subresource = "status", Verbs = RbacVerb.Patch)]
// Setting blockOwnerDeletion on an owner reference needs update on the owner's finalizers subresource.
[EntityRbac(typeof(ConsoleProxyResource), Subresource = "finalizers", Verbs = RbacVerb.Update)]
// What a ConsoleProxy owns: applied (create + patch: an apply that creates needs both), watched to repair drift,
// deleted when a spec change makes it unnecessary (the autoscaler, the managed Redis). Secrets: the managed Redis
// password, and (read only) the password Secret an external token store names.
[EntityRbac(
    typeof(V1ServiceAccount), typeof(V1ConfigMap), typeof(V1Service), typeof(V1Secret), typeof(V1Deployment),
    typeof(V1PodDisruptionBudget), typeof(V2HorizontalPodAutoscaler), typeof(V1NetworkPolicy),
    Verbs = RbacVerb.Own)]
public sealed class ConsoleProxyController : IAsyncDisposable
{
    public const string Name = "consoleproxy";

    /// <summary>The name of the ConsoleProxy informer (in logs and /readyz), whichever controller built it.</summary>
    public const string ProxiesInformerName = "consoleproxies";

    /// <summary>Every object the operator builds carries it; the owned-object informers cache only those.</summary>
    public static readonly string ManagedObjectsSelector = $"{ObjectLabels.ManagedBy}={ObjectLabels.ManagedByValue}";

    private readonly ProxyTokenStores? ownedStores;

    private ConsoleProxyController(
        Controller<ConsoleProxyResource> controller,
        Informer<ConsoleProxyResource> proxies,
        IReadOnlyList<IOwnedKind> owned,
        EntityReconciler<ConsoleProxyResource> reconciler,
        ProxyTokenStores? ownedStores)
    {
        Controller = controller;
        Proxies = proxies;
        Owned = owned;
        Reconciler = reconciler;
        this.ownedStores = ownedStores;
    }

    public Controller<ConsoleProxyResource> Controller { get; }

    public Informer<ConsoleProxyResource> Proxies { get; }

    public IReadOnlyList<IOwnedKind> Owned { get; }

    /// <summary>The reconciler the workers call with a key (the <see cref="ConsoleProxyReconciler"/> behind the runtime's entity adapter).</summary>
    public EntityReconciler<ConsoleProxyResource> Reconciler { get; }

    /// <summary>The ConsoleProxy client (all namespaces, or the one watched namespace).</summary>
    public static ResourceClient<ConsoleProxyResource> ProxyClient(KubernetesClient client, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(ApiKinds.ConsoleProxies, EntityJson.TypeInfo<ConsoleProxyResource>(), @namespace);
    }

    /// <summary>Builds the controller and adds it (with its informers) to <paramref name="manager"/>.</summary>
    /// <param name="sharedStores">The token store connections of the ConsoleToken controller, to check the very path
    /// tokens take; null opens connections of its own.</param>
    /// <param name="sharedProxies">The ConsoleProxy informer of the ConsoleToken controller (watching the same
    /// namespace as <see cref="ConsoleProxyControllerOptions.Namespace"/>), so the operator lists and watches
    /// ConsoleProxies once; null builds an informer of its own.</param>
    public static ConsoleProxyController Register(
        ControllerManager manager,
        KubernetesClient client,
        IEventRecorder events,
        ConsoleProxyControllerOptions? options = null,
        ProxyTokenStores? sharedStores = null,
        Informer<ConsoleProxyResource>? sharedProxies = null,
        MetricsRegistry? metrics = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var controller = Create(client, events, options, sharedStores, sharedProxies, metrics, timeProvider, loggerFactory);
        manager.AddController(controller.Controller);
        return controller;
    }

    /// <summary>Builds the controller without a manager (run its informers and <see cref="Controller"/> yourself).</summary>
    public static ConsoleProxyController Create(
        KubernetesClient client,
        IEventRecorder events,
        ConsoleProxyControllerOptions? options = null,
        ProxyTokenStores? sharedStores = null,
        Informer<ConsoleProxyResource>? sharedProxies = null,
        MetricsRegistry? metrics = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(events);
        options ??= new ConsoleProxyControllerOptions();
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var logs = loggerFactory ?? NullLoggerFactory.Instance;
        var ns = options.Namespace;

        var proxyClient = ProxyClient(client, ns);
        var proxies = sharedProxies ?? new Informer<ConsoleProxyResource>(proxyClient, new InformerOptions { Name = ProxiesInformerName }, time, logs);
        var secretClient = client.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());

        var serviceAccounts = Own(KnownResources.ServiceAccount, EntityJson.TypeInfo<V1ServiceAccount>());
        var configMaps = Own(KnownResources.ConfigMap, EntityJson.TypeInfo<V1ConfigMap>());
        var secrets = Own(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());
        var services = Own(KnownResources.Service, EntityJson.TypeInfo<V1Service>());
        var deployments = Own(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>());
        var budgets = Own(KnownResources.PodDisruptionBudget, EntityJson.TypeInfo<V1PodDisruptionBudget>());
        var autoscalers = Own(KnownResources.HorizontalPodAutoscaler, EntityJson.TypeInfo<V2HorizontalPodAutoscaler>());
        var networkPolicies = Own(KnownResources.NetworkPolicy, EntityJson.TypeInfo<V1NetworkPolicy>());
        IReadOnlyList<IOwnedKind> owned = [serviceAccounts, configMaps, secrets, services, deployments, budgets, autoscalers, networkPolicies];

        var ownedStores = sharedStores is null
            ? new ProxyTokenStores(
                new TokenStoreOptionsResolver(secretClient, options.TokenStoreAddresses, options.TokenStoreConnectTimeout, options.TokenStoreOperationTimeout),
                time,
                logs.CreateLogger<ProxyTokenStores>())
            : null;
        var reconciler = new EntityReconciler<ConsoleProxyResource>(proxies, proxyClient, new ConsoleProxyReconciler(
            proxyClient, owned, secretClient, new TokenStoreProbe(sharedStores ?? ownedStores!), ownedStores, events, options, time,
            logs.CreateLogger<ConsoleProxyReconciler>()));
        var controller = new Controller<ConsoleProxyResource>(
            Name, proxies, reconciler, new ControllerOptions { Workers = options.Workers, Metrics = metrics }, time, logs);
        Watch(controller, serviceAccounts);
        Watch(controller, configMaps);
        Watch(controller, secrets);
        Watch(controller, services);
        Watch(controller, deployments);
        Watch(controller, budgets);
        Watch(controller, autoscalers);
        Watch(controller, networkPolicies);
        return new ConsoleProxyController(controller, proxies, owned, reconciler, ownedStores);

        OwnedKind<T> Own<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            var resource = client.Resource(descriptor, typeInfo, ns);
            var informer = new Informer<T>(resource, new InformerOptions { Name = $"consoleproxy-{descriptor.Plural}", LabelSelector = ManagedObjectsSelector }, time, logs);
            return new OwnedKind<T>(resource, typeInfo, informer, options.FieldManager, options.HashAnnotation);
        }
    }

    public ValueTask DisposeAsync() => ownedStores?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static void Watch<T>(Controller<ConsoleProxyResource> controller, OwnedKind<T> kind)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        controller.Watches(kind.TypedInformer, KeyMappers.ByControllerOwner<T>(ApiGroup.ApiVersion, ConsoleProxyResource.KindName));
}
