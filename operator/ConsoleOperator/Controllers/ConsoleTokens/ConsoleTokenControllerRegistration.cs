using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Controllers.Sessions;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Telemetry;
using ConsoleOperator.TokenStores;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// The ConsoleToken controller on the runtime's builder: <see cref="ConsoleTokenController"/> and
/// <see cref="ConsoleTokenFinalizer"/> from DI, hearing about their Secrets (owner references) and about ConsoleProxy
/// changes (every token naming the proxy), and the token store monitor that has Active tokens rewritten after a store
/// lost its data. Register a <see cref="ProxyTokenStores"/> (shared with the ConsoleProxy controller).
/// </summary>
public static class ConsoleTokenControllerRegistration
{
    public const string Name = "consoletoken";

    public const string TokensInformerName = "consoletokens";

    public const string SecretsInformerName = "consoletoken-secrets";

    public static OperatorBuilder AddConsoleTokenController(this OperatorBuilder builder, ConsoleTokenControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var services = builder.Services;
        AddSessionStatusSweeper(services, options);
        services.AddSingleton(provider => new ConsoleTokenSecrets(SecretClient(provider), SecretsInformer(provider).Cache, options.Finalizer));
        services.AddSingleton(provider => new ConsoleTokenRevoker(
            ProxiesInformer(provider).Cache, provider.GetRequiredService<ProxyTokenStores>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ConsoleTokenRevoker>>()));
        services.AddSingleton(provider => new TokenMetrics(
            provider.GetRequiredService<MetricsRegistry>(),
            () => TokensInformer(provider).Cache.List().Count(token => token.Status?.Phase == ConsoleTokenPhase.Active)));
        services.AddSingleton(provider => new ConsoleTokenRecorder(
            provider.GetRequiredService<EventRecorder>(), provider.GetRequiredService<TokenMetrics>(), provider.GetRequiredService<ILogger<ConsoleTokenController>>()));
        services.AddSingleton(provider =>
        {
            var tokens = TokenClient(provider.GetRequiredService<KubernetesClient>());
            var secrets = provider.GetRequiredService<ConsoleTokenSecrets>();
            return new ConsoleTokenController(
                new ConsoleTokenWorldLoader(ProxiesInformer(provider).Cache, TokensInformer(provider).Cache, secrets, new ConsoleTokenValidator(options.TargetResolver)),
                secrets,
                new ConsoleTokenStoreWriter(provider.GetRequiredService<ProxyTokenStores>(), SecretClient(provider)),
                provider.GetRequiredService<ConsoleTokenRevoker>(),
                new ServerSideApplier<ConsoleTokenResource>(tokens, EntityJson.TypeInfo<ConsoleTokenResource>(), options.FieldManager),
                tokens,
                provider.GetRequiredService<ConsoleTokenRecorder>(),
                provider.GetRequiredService<TimeProvider>());
        });
        return builder
            .AddController<ConsoleTokenController, ConsoleTokenResource>(controller =>
            {
                controller.Name = Name;
                controller.Workers = options.Workers;
                controller.InformerName = TokensInformerName;
                controller.Owns<V1Secret>(ConsoleTokenSecret.LabelSelector, SecretsInformerName);
                controller.Watches<ConsoleProxyResource>(
                    provider =>
                    {
                        var tokens = TokensInformer(provider).Cache;
                        return proxy => TokensOf(tokens, ObjectKey.Of(proxy));
                    },
                    informerName: ConsoleProxyController.ProxiesInformerName);
            })
            .AddFinalizer<ConsoleTokenFinalizer, ConsoleTokenResource>(options.Finalizer)
            .AddService("consoletoken-store-monitor", provider =>
            {
                var proxies = ProxiesInformer(provider).Cache;
                var tokens = TokensInformer(provider).Cache;
                var queue = provider.GetRequiredService<Controller<ConsoleTokenResource>>();
                return new TokenStoreMonitor(
                    provider.GetRequiredService<ProxyTokenStores>(),
                    proxy => proxies.Get(proxy) is not null,
                    proxy =>
                    {
                        foreach (var key in TokensOf(tokens, proxy))
                        {
                            queue.Enqueue(key);
                        }
                    },
                    options.TokenStoreCheckInterval,
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<TokenStoreMonitor>>()).RunAsync;
            })
            .AddService("session-status-sweep", provider => provider.GetRequiredService<SessionStatusSweeper>().RunAsync);
    }

    /// <summary>The sweeper that shows who is connected in ConsoleToken and ConsoleProxy status (its own field manager).</summary>
    private static void AddSessionStatusSweeper(IServiceCollection services, ConsoleTokenControllerOptions options)
    {
        services.AddSingleton(provider =>
        {
            var client = provider.GetRequiredService<KubernetesClient>();
            return new SessionStatusSweeper(
                ProxiesInformer(provider).Cache,
                TokensInformer(provider).Cache,
                provider.GetRequiredService<ProxyTokenStores>(),
                new ServerSideApplier<ConsoleTokenResource>(TokenClient(client), EntityJson.TypeInfo<ConsoleTokenResource>(), SessionStatusSweeper.FieldManager),
                new ServerSideApplier<ConsoleProxyResource>(ConsoleProxyController.ProxyClient(client), EntityJson.TypeInfo<ConsoleProxyResource>(), SessionStatusSweeper.FieldManager),
                options.SessionSweepPeriod,
                provider.GetRequiredService<TimeProvider>(),
                new SessionMetrics(provider.GetRequiredService<MetricsRegistry>()),
                provider.GetRequiredService<ILogger<SessionStatusSweeper>>());
        });
    }

    /// <summary>The client for ConsoleTokens (all namespaces; writes go to each object's own namespace).</summary>
    public static ResourceClient<ConsoleTokenResource> TokenClient(KubernetesClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(ApiKinds.ConsoleTokens, EntityJson.TypeInfo<ConsoleTokenResource>());
    }

    /// <summary>The ConsoleTokens that name the proxy <paramref name="proxy"/>.</summary>
    public static IEnumerable<ObjectKey> TokensOf(InformerCache<ConsoleTokenResource> tokens, ObjectKey proxy)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return tokens.List()
            .Where(token => ConsoleTokenFacts.ProxyKey(token) == proxy)
            .Select(ObjectKey.Of)
            .ToList();
    }

    private static ResourceClient<V1Secret> SecretClient(IServiceProvider provider) =>
        provider.GetRequiredService<KubernetesClient>().Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());

    private static Informer<ConsoleTokenResource> TokensInformer(IServiceProvider provider) =>
        provider.GetRequiredService<InformerRegistry>().Get<ConsoleTokenResource>(name: TokensInformerName);

    private static Informer<ConsoleProxyResource> ProxiesInformer(IServiceProvider provider) =>
        provider.GetRequiredService<InformerRegistry>().Get<ConsoleProxyResource>(name: ConsoleProxyController.ProxiesInformerName);

    private static Informer<V1Secret> SecretsInformer(IServiceProvider provider) =>
        provider.GetRequiredService<InformerRegistry>().Get<V1Secret>(ConsoleTokenSecret.LabelSelector, SecretsInformerName);
}
