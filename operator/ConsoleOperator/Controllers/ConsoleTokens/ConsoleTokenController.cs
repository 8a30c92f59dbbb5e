using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Rbac;
using ConsoleOperator.Telemetry;
using ConsoleOperator.TokenStores;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// The ConsoleToken controller wired on the runtime: reconciles ConsoleTokens, hears about their Secrets (owner
/// references) and about ConsoleProxy changes (every token naming the proxy), and runs the token store monitor that
/// rewrites Active tokens after a store lost its data. Dispose it after the manager stopped: it closes the stores.
/// </summary>
// ConsoleTokens are patched (finalizers, by JSON Patch) and deleted once expired long enough ago.
[EntityRbac(typeof(ConsoleTokenResource), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Patch | RbacVerb.Delete)]
[EntityRbac(typeof(ConsoleTokenResource), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Patch)]
[EntityRbac(typeof(ConsoleTokenResource), Subresource = "finalizers", Verbs = RbacVerb.Update)]
// Each ConsoleToken's Secret (owned, applied, deleted with the token); ConsoleProxies are read through the informer.
[EntityRbac(typeof(V1Secret), Verbs = RbacVerb.Own)]
[EntityRbac(typeof(ConsoleProxyResource), Verbs = RbacVerb.List | RbacVerb.Watch)]
public sealed class ConsoleTokenController : IAsyncDisposable
{
    public const string Name = "consoletoken";

    private ConsoleTokenController(
        Controller<ConsoleTokenResource> controller,
        Informer<ConsoleTokenResource> tokens,
        Informer<ConsoleProxyResource> proxies,
        Informer<V1Secret> secrets,
        ConsoleTokenReconciler reconciler,
        ProxyTokenStores stores,
        TokenStoreMonitor monitor)
    {
        Controller = controller;
        Tokens = tokens;
        Proxies = proxies;
        Secrets = secrets;
        Reconciler = reconciler;
        Stores = stores;
        Monitor = monitor;
    }

    public Controller<ConsoleTokenResource> Controller { get; }

    public Informer<ConsoleTokenResource> Tokens { get; }

    public Informer<ConsoleProxyResource> Proxies { get; }

    public Informer<V1Secret> Secrets { get; }

    public ConsoleTokenReconciler Reconciler { get; }

    public ProxyTokenStores Stores { get; }

    public TokenStoreMonitor Monitor { get; }

    /// <summary>The descriptor-bound client for ConsoleTokens (all namespaces).</summary>
    public static ResourceClient<ConsoleTokenResource> TokenClient(KubernetesClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(ApiKinds.ConsoleTokens, EntityJson.TypeInfo<ConsoleTokenResource>());
    }

    /// <summary>
    /// Builds the controller with its informers and adds them, and the store monitor, to <paramref name="manager"/>.
    /// </summary>
    public static ConsoleTokenController Register(
        ControllerManager manager,
        KubernetesClient client,
        IEventRecorder events,
        ConsoleTokenControllerOptions? options = null,
        MetricsRegistry? metrics = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var controller = Create(client, events, options, metrics, timeProvider, loggerFactory);
        manager.AddController(controller.Controller);
        manager.AddService("consoletoken-store-monitor", controller.Monitor.RunAsync);
        return controller;
    }

    /// <summary>Builds the controller without a manager (run its informers and <see cref="Controller"/> yourself).</summary>
    public static ConsoleTokenController Create(
        KubernetesClient client,
        IEventRecorder events,
        ConsoleTokenControllerOptions? options = null,
        MetricsRegistry? metrics = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(events);
        options ??= new ConsoleTokenControllerOptions();
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var logs = loggerFactory ?? NullLoggerFactory.Instance;

        var tokenClient = TokenClient(client);
        var secretClient = client.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());
        // The informers watch options.Namespace (or all); writes go to each object's own namespace.
        var ns = options.Namespace;
        var tokens = new Informer<ConsoleTokenResource>(tokenClient.InNamespace(ns), new InformerOptions { Name = "consoletokens" }, time, logs);
        var proxies = new Informer<ConsoleProxyResource>(ConsoleProxyController.ProxyClient(client, ns), new InformerOptions { Name = ConsoleProxyController.ProxiesInformerName }, time, logs);
        var secrets = new Informer<V1Secret>(secretClient.InNamespace(ns), new InformerOptions { Name = "consoletoken-secrets", LabelSelector = ConsoleTokenSecret.LabelSelector }, time, logs);

        var stores = new ProxyTokenStores(
            new TokenStoreOptionsResolver(secretClient, options.TokenStoreAddresses, options.TokenStoreConnectTimeout, options.TokenStoreOperationTimeout),
            time,
            logs.CreateLogger<ProxyTokenStores>());
        var tokenMetrics = metrics is null
            ? null
            : new TokenMetrics(metrics, () => tokens.Cache.List().Count(token => token.Status?.Phase == ConsoleTokenPhase.Active));
        var reconciler = new ConsoleTokenReconciler(
            tokenClient, secretClient, tokens.Cache, proxies.Cache, secrets.Cache, stores, events, tokenMetrics, options, time,
            logs.CreateLogger<ConsoleTokenReconciler>());
        var controller = new Controller<ConsoleTokenResource>(
            Name, tokens, reconciler, new ControllerOptions { Workers = options.Workers, Metrics = metrics }, time, logs);
        controller
            .Watches(secrets, KeyMappers.ByControllerOwner<V1Secret>(ApiGroup.ApiVersion, ConsoleTokenResource.KindName))
            .Watches(proxies, proxy => TokensOf(tokens.Cache, ObjectKeys.Of(proxy)));
        var monitor = new TokenStoreMonitor(
            stores,
            proxy => proxies.Cache.Get(proxy) is not null,
            proxy =>
            {
                foreach (var key in TokensOf(tokens.Cache, proxy))
                {
                    controller.Enqueue(key);
                }
            },
            options.TokenStoreCheckInterval,
            time,
            logs.CreateLogger<TokenStoreMonitor>());
        return new ConsoleTokenController(controller, tokens, proxies, secrets, reconciler, stores, monitor);
    }

    /// <summary>The ConsoleTokens that name the proxy <paramref name="proxy"/>.</summary>
    public static IEnumerable<ObjectKey> TokensOf(InformerCache<ConsoleTokenResource> tokens, ObjectKey proxy)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.List()
            .Where(token => ConsoleTokenReconciler.ProxyKey(token) == proxy)
            .Select(ObjectKeys.Of)
            .ToList();
    }

    public ValueTask DisposeAsync() => Stores.DisposeAsync();
}
