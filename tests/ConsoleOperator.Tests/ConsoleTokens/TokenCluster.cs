using TestKit.Time;
using System.Globalization;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Controllers.Sessions;
using ConsoleOperator.Crds;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using TestKit.FakeApiServer;
using ConsoleOperator.Telemetry;
using ConsoleOperator.Tests.Hosting;
using TestKit.Polling;
using TestKit.Processes;
using ConsoleOperator.TokenStores;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;
using ObjectKey = ConsoleOperator.Kube.Runtime.ObjectKey;
using ReconcileResult = ConsoleOperator.Kube.Runtime.Controllers.ReconcileResult;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// The token controller's world for one test: the fake API server with the operator's CRDs, a real redis-server, the
/// controller's informers running on real time (on the shared <see cref="OperatorUnderTest"/>), and its reconciler on a manual clock started at the current time
/// (so expiries written to Redis and checked by a real proxy agree with it). Tests call <see cref="ReconcileAsync"/>
/// step by step after the caches caught up with the server, like the controller's workers would.
/// </summary>
internal sealed class TokenCluster : IAsyncDisposable
{
    public const string Namespace = "consoles";
    public const string OtherNamespace = "tenant";
    public const string ProxyName = "edge";

    private readonly List<OperatorUnderTest> _operators = [];
    private readonly OperatorUnderTest _operator;
    private readonly IServiceProvider _services;

    private TokenCluster(FakeKubeApiServer server, RedisServer redis, ManualTimeProvider clock, ConsoleTokenControllerOptions options, ITokenStoreAddressResolver addresses, TimeSpan storeTimeout)
    {
        Server = server;
        Redis = redis;
        Clock = clock;
        Client = new KubernetesClient(
            new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() },
            new KubernetesClientOptions { UserAgent = "console-operator-tests/1.0", RequestTimeout = TimeSpan.FromSeconds(10) });
        Tokens = ConsoleTokenControllerRegistration.TokenClient(Client);
        Proxies = ConsoleProxyController.ProxyClient(Client);
        Secrets = Client.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());
        Metrics = new MetricsRegistry();
        // The operator's own composition (OperatorRuntime) with only the token controller, on this cluster's clock; the
        // informers run and the reconciles are called step by step by the tests.
        _operator = Start(this, options, clock, Metrics, "console-operator-test", addresses, storeTimeout);
        _services = _operator.Services;
        Events = _operator.Events;
        Stores = _services.GetRequiredService<ProxyTokenStores>();
        var informers = _services.GetRequiredService<InformerRegistry>();
        TokenInformer = informers.Get<ConsoleTokenResource>(name: ConsoleTokenControllerRegistration.TokensInformerName);
        ProxyInformer = informers.Get<ConsoleProxyResource>(name: ConsoleProxyController.ProxiesInformerName);
        SecretInformer = informers.Get<V1Secret>(ConsoleTokenSecret.LabelSelector, ConsoleTokenControllerRegistration.SecretsInformerName);
        TokenMetrics = _services.GetRequiredService<TokenMetrics>();
        Reconciler = (Controller<ConsoleTokenResource>)_operator.Runtime.Manager.Controllers.Single();
        Monitor = new TokenStoreMonitor(Stores, key => ProxyInformer.Cache.Get(key) is not null, key => LostStores.Add(key), TimeSpan.FromSeconds(15), clock);
    }

    public FakeKubeApiServer Server { get; }

    public RedisServer Redis { get; }

    public ManualTimeProvider Clock { get; }

    public KubernetesClient Client { get; }

    public ResourceClient<ConsoleTokenResource> Tokens { get; }

    public ResourceClient<ConsoleProxyResource> Proxies { get; }

    public ResourceClient<V1Secret> Secrets { get; }

    public Informer<ConsoleTokenResource> TokenInformer { get; }

    public Informer<ConsoleProxyResource> ProxyInformer { get; }

    public Informer<V1Secret> SecretInformer { get; }

    public EventRecorder Events { get; }

    public ProxyTokenStores Stores { get; }

    public MetricsRegistry Metrics { get; }

    public TokenMetrics TokenMetrics { get; }

    public Controller<ConsoleTokenResource> Reconciler { get; }

    public TokenStoreMonitor Monitor { get; }

    /// <summary>The session sweep as the operator composes it (not running: tests call its SweepAsync).</summary>
    public SessionStatusSweeper Sweeper => _services.GetRequiredService<SessionStatusSweeper>();

    /// <summary>Proxies the monitor reported as having lost their store's data.</summary>
    public List<ObjectKey> LostStores { get; } = [];

    public string KeyPrefix => new ConsoleProxyNames(ProxyName, Namespace).KeyPrefix;

    /// <param name="storeTimeout">The token stores' connect and operation timeouts (2 s unless a test needs a store that does not answer to hang longer).</param>
    public static async Task<TokenCluster> StartAsync(ITargetResolver? targets = null, string? redisPassword = null, ITokenStoreAddressResolver? addresses = null, TimeSpan? storeTimeout = null)
    {
        var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions
        {
            Namespaces = ["default", Namespace, OtherNamespace],
            TooLargeResourceVersionDelay = TimeSpan.Zero,
        });
        foreach (var crd in CrdCatalog.Build())
        {
            server.Registry.RegisterCustomResourceDefinition(crd);
        }

        var redis = await RedisServer.StartAsync(redisPassword);
        var now = DateTimeOffset.UtcNow;
        var clock = new ManualTimeProvider(new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var options = new ConsoleTokenControllerOptions { TargetResolver = targets ?? DnsTargetResolver.Instance };
        var cluster = new TokenCluster(server, redis, clock, options, addresses ?? EndpointAddressResolver.Instance, storeTimeout ?? TimeSpan.FromSeconds(2));
        await cluster._operator.StartInformersAsync([cluster.TokenInformer, cluster.ProxyInformer, cluster.SecretInformer]);
        return cluster;
    }

    /// <summary>A ConsoleProxy whose (external) token store is this cluster's Redis.</summary>
    public async Task<ConsoleProxyResource> CreateProxyAsync(
        IEnumerable<string>? allowedTargets = null,
        int? maxTtlSeconds = null,
        int defaultTtlSeconds = 600,
        IEnumerable<string>? namespaces = null,
        string publicUrl = "https://console.example.com",
        string name = ProxyName,
        string? redisAddress = null,
        TokenStoreSpec? tokenStore = null,
        List<string>? kinds = null,
        List<string>? serialAllowedTargets = null,
        TargetSecuritySpec? targetSecurity = null)
    {
        var proxy = new ConsoleProxyResource
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new ConsoleProxySpec
            {
                PublicUrl = publicUrl,
                Kinds = kinds,
                TargetSecurity = targetSecurity,
                TokenStore = tokenStore ?? new TokenStoreSpec { External = new ExternalTokenStoreSpec { Address = redisAddress ?? Redis.Address } },
                Tokens = new TokenPolicySpec
                {
                    AllowedTargets = [.. allowedTargets ?? ["127.0.0.1/32"]],
                    DefaultTTLSeconds = defaultTtlSeconds,
                    MaxTTLSeconds = maxTtlSeconds,
                    Namespaces = namespaces?.ToList(),
                    SerialAllowedTargets = serialAllowedTargets,
                },
            },
        };
        var created = await Proxies.InNamespace(Namespace).CreateAsync(proxy);
        await Poll.UntilAsync(() => ProxyInformer.Cache.Get(Namespace, name)?.Metadata.ResourceVersion == created.Metadata.ResourceVersion, "the proxy reached the cache");
        return created;
    }

    public async Task<ConsoleTokenResource> CreateTokenAsync(
        string name,
        string host = "127.0.0.1",
        int port = 5901,
        int? ttlSeconds = null,
        string ns = Namespace,
        string? proxyNamespace = null,
        bool singleUse = false,
        int ttlSecondsAfterExpiry = 3600,
        string proxyName = ProxyName,
        string kind = "vnc",
        SecretKeyReference? vncPassword = null,
        string? serverName = null,
        string? vncUsername = null,
        int? maxSessions = null,
        string? shareOf = null,
        bool viewOnly = false,
        bool screenshotOnly = false)
    {
        var token = new ConsoleTokenResource
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new ConsoleTokenSpec
            {
                ProxyRef = new ProxyReference { Name = proxyName, Namespace = proxyNamespace },
                Target = new TargetSpec { Host = host, Port = port, ServerName = serverName },
                Instance = "6f1c3a52-1f7e-4c1b-9f7a-0d4f2b8e5a10",
                TtlSeconds = ttlSeconds,
                SingleUse = singleUse,
                TtlSecondsAfterExpiry = ttlSecondsAfterExpiry,
                Kind = kind,
                VncPasswordSecretRef = vncPassword,
                VncUsername = vncUsername,
                MaxSessions = maxSessions,
                ShareOf = shareOf,
                ViewOnly = viewOnly,
                ScreenshotOnly = screenshotOnly,
            },
        };
        return await Tokens.InNamespace(ns).CreateAsync(token);
    }

    /// <summary>
    /// Waits until the caches hold what the server holds for this token (and for the token it shares, which a share's
    /// reconcile reads from the cache), then runs one reconcile.
    /// </summary>
    public async Task<ReconcileResult> ReconcileAsync(string name, string ns = Namespace)
    {
        await CatchUpAsync(name, ns);
        if (TokenInformer.Cache.Get(ns, name)?.Spec?.ShareOf is { } shared)
        {
            await CatchUpAsync(shared, ns);
        }

        return await Reconciler.ReconcileOnceAsync(new ObjectKey(ns, name), CancellationToken.None);
    }

    /// <summary>Waits until the token, its Secret and the proxy look the same in the caches as on the server.</summary>
    public async Task CatchUpAsync(string name, string ns = Namespace)
    {
        var token = await Tokens.InNamespace(ns).GetOrDefaultAsync(name);
        var secret = await Secrets.InNamespace(ns).GetOrDefaultAsync(name + "-console");
        var proxy = await Proxies.InNamespace(Namespace).GetOrDefaultAsync(ProxyName);
        await Poll.UntilAsync(
            () => TokenInformer.Cache.Get(ns, name)?.Metadata.ResourceVersion == token?.Metadata.ResourceVersion
                && SecretInformer.Cache.Get(ns, name + "-console")?.Metadata.ResourceVersion == secret?.Metadata.ResourceVersion
                && ProxyInformer.Cache.Get(Namespace, ProxyName)?.Metadata.ResourceVersion == proxy?.Metadata.ResourceVersion,
            $"the caches caught up with ConsoleToken {ns}/{name}");
    }

    /// <summary>Reconciles until the result asks for nothing soon (a requeue-after or done), at most a few rounds.</summary>
    public async Task<ReconcileResult> ReconcileUntilSettledAsync(string name, string ns = Namespace)
    {
        for (var round = 0; round < 5; round++)
        {
            var result = await ReconcileAsync(name, ns);
            if (!result.Requeue)
            {
                return result;
            }
        }

        Assert.Fail($"ConsoleToken {ns}/{name} kept asking to be requeued");
        return ReconcileResult.Done;
    }

    public async Task<ConsoleTokenResource> GetTokenAsync(string name, string ns = Namespace) =>
        await Tokens.InNamespace(ns).GetAsync(name);

    public Task<V1Secret?> GetSecretAsync(string name, string ns = Namespace) =>
        Secrets.InNamespace(ns).GetOrDefaultAsync(name + "-console");

    /// <summary>The token keys of the proxy in Redis (the sentinel left out).</summary>
    public async Task<IReadOnlyList<string>> TokenKeysAsync()
    {
        var reply = await Redis.CommandAsync("KEYS", KeyPrefix + "token:*") ?? string.Empty;
        var sentinel = KeyPrefix + "token:" + TokenStoreSentinel.Hash.Hex;
        return [.. reply.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(key => key != sentinel)];
    }

    /// <summary>The reasons of the events recorded about the token, in order of creation.</summary>
    public async Task<IReadOnlyList<string>> EventReasonsAsync(string name, string ns = Namespace)
    {
        var events = await Client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>(), ns).ListAsync();
        return [.. events.Items
            .Where(e => e.Regarding?.Name == name && e.Regarding?.Kind == ConsoleTokenResource.KindName)
            .OrderBy(e => long.Parse(e.Metadata.ResourceVersion ?? "0", CultureInfo.InvariantCulture))
            .Select(e => e.Reason ?? string.Empty)];
    }

    /// <summary>Waits until an event with the reason was written for the token.</summary>
    public Task WaitForEventAsync(string name, string reason, string ns = Namespace) =>
        Poll.UntilAsync(async () => (await EventReasonsAsync(name, ns)).Contains(reason), $"event {reason} for {ns}/{name}");

    /// <summary>The value of one sample in the Prometheus text (e.g. <c>name</c> or <c>name{reason="x"}</c>); 0 when absent.</summary>
    public async Task<double> MetricValueAsync(string sample)
    {
        var line = (await Metrics.ToTextAsync(CancellationToken.None)).Split('\n').FirstOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>The requests that changed something (no reads, no events), since the log was last cleared.</summary>
    public IReadOnlyList<LoggedRequest> Writes() =>
        [.. Server.Requests.Writes.Where(request => !request.Path.Contains("/events", StringComparison.Ordinal))];

    /// <summary>
    /// The ConsoleToken controller as the operator composes it (<see cref="OperatorRuntime"/> with only this controller)
    /// on a runtime of its own, its manager running on real time as `console-operator run` runs it, until the cluster is
    /// disposed (unlike the cluster's step-by-step <see cref="Reconciler"/>).
    /// </summary>
    public void RunOperator(ConsoleTokenControllerOptions options, MetricsRegistry? metrics = null)
    {
        var running = Start(this, options, TimeProvider.System, metrics ?? new MetricsRegistry(), "console-operator-0", EndpointAddressResolver.Instance, TimeSpan.FromSeconds(5));
        _operators.Add(running);
        running.Run(running.Runtime.Manager.RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _operators)
        {
            await running.DisposeAsync();
        }

        await _operator.DisposeAsync();
        Client.Dispose();
        await Redis.DisposeAsync();
        await Server.DisposeAsync();
    }

    private static OperatorUnderTest Start(TokenCluster cluster, ConsoleTokenControllerOptions options, TimeProvider time, MetricsRegistry metrics, string identity, ITokenStoreAddressResolver addresses, TimeSpan storeTimeout)
    {
        var settings = new OperatorSettings
        {
            Identity = identity,
            Namespace = options.Namespace,
            TokenStoreAddresses = addresses,
            TokenStoreConnectTimeout = storeTimeout,
            TokenStoreOperationTimeout = storeTimeout,
        };
        return OperatorUnderTest.Create(cluster.Client, settings, metrics, time, controllers =>
        {
            controllers.AddConsoleTokenController(options);

            // Events are rate-limited per object by token buckets that refill on the recorder's clock: on the manual
            // clock they would never refill, so the recorder keeps real time (the controller's clock stays manual).
            controllers.Services.AddSingleton(new EventRecorder(
                cluster.Client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>()),
                OperatorRuntime.ReportingController,
                identity));
        });
    }
}
