using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
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
public sealed class ConsoleTokenControllerSetup : IAsyncDisposable
{
    public const string Name = "consoletoken";

    private ConsoleTokenControllerSetup(
        Controller<ConsoleTokenResource> controller,
        Informer<ConsoleTokenResource> tokens,
        Informer<ConsoleProxyResource> proxies,
        Informer<V1Secret> secrets,
        EntityReconciler<ConsoleTokenResource> reconciler,
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

    /// <summary>Turns a queued key into a call of <see cref="ConsoleTokenController"/> or <see cref="ConsoleTokenFinalizer"/>.</summary>
    public EntityReconciler<ConsoleTokenResource> Reconciler { get; }

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
    public static ConsoleTokenControllerSetup Register(
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
    public static ConsoleTokenControllerSetup Create(
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
        var secretAccess = new ConsoleTokenSecrets(secretClient, secrets.Cache, options.Finalizer);
        var revoker = new ConsoleTokenRevoker(proxies.Cache, stores, time, logs.CreateLogger<ConsoleTokenRevoker>());
        var recorder = new ConsoleTokenRecorder(events, tokenMetrics, logs.CreateLogger<ConsoleTokenController>());
        var tokenController = new ConsoleTokenController(
            new ConsoleTokenWorldLoader(proxies.Cache, secretAccess, new ConsoleTokenValidator(options.TargetResolver)),
            secretAccess,
            new ConsoleTokenStoreWriter(stores, secretClient),
            revoker,
            new StatusApplier<ConsoleTokenResource>(tokenClient, EntityJson.TypeInfo<ConsoleTokenResource>(), options.FieldManager),
            tokenClient,
            recorder,
            time);
        var reconciler = new EntityReconciler<ConsoleTokenResource>(
            tokens, tokenClient, tokenController, [new(options.Finalizer, new ConsoleTokenFinalizer(secretAccess, revoker, recorder))]);
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
        return new ConsoleTokenControllerSetup(controller, tokens, proxies, secrets, reconciler, stores, monitor);
    }

    /// <summary>The ConsoleTokens that name the proxy <paramref name="proxy"/>.</summary>
    public static IEnumerable<ObjectKey> TokensOf(InformerCache<ConsoleTokenResource> tokens, ObjectKey proxy)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.List()
            .Where(token => ConsoleTokenFacts.ProxyKey(token) == proxy)
            .Select(ObjectKeys.Of)
            .ToList();
    }

    public ValueTask DisposeAsync() => Stores.DisposeAsync();
}
