using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.TokenStores;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConsoleOperator.Hosting;

/// <summary>
/// The whole operator as services, in KubeOps' shape: <c>AddKubernetesOperator</c> with the ConsoleProxy and ConsoleToken
/// controllers, the token finalizer and the token store monitor. The caller registers the cluster's
/// <c>KubernetesClientConfiguration</c> (or a <see cref="KubernetesClient"/>), a <see cref="TimeProvider"/> and logging.
/// </summary>
public static class ConsoleOperatorServices
{
    /// <summary>The token store connections the controllers share (one per ConsoleProxy), closed when the services are disposed.</summary>
    public static IServiceCollection AddProxyTokenStores(this IServiceCollection services, ITokenStoreAddressResolver addresses, TimeSpan connectTimeout, TimeSpan operationTimeout)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(addresses);
        return services.AddSingleton(provider => new ProxyTokenStores(
            new TokenStoreOptionsResolver(
                provider.GetRequiredService<KubernetesClient>().Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>()),
                addresses,
                connectTimeout,
                operationTimeout),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ProxyTokenStores>>()));
    }

    /// <summary>The whole operator, as `console-operator run` composes it: <see cref="AddConsoleOperatorRuntime"/> with both controllers.</summary>
    public static OperatorBuilder AddConsoleOperator(this IServiceCollection services, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton<IValidateOptions<OperatorSettings>, OperatorSettingsValidator>();
        services.AddSingleton<IOptionsFactory<OperatorSettings>>(provider => new GivenOptionsFactory<OperatorSettings>(settings, provider.GetServices<IValidateOptions<OperatorSettings>>()));
        services.AddOptions<OperatorSettings>().ValidateOnStart();

        var tokenOptions = new ConsoleTokenControllerOptions
        {
            Namespace = settings.Namespace,
            SessionSweepPeriod = settings.SessionSweepPeriod,
        };
        var proxyOptions = new ConsoleProxyControllerOptions
        {
            Defaults = settings.Defaults,
            Namespace = settings.Namespace,
            RecheckInterval = settings.TokenStoreRecheckInterval,
        };

        return services
            .AddConsoleOperatorRuntime(settings)
            .AddConsoleProxyController(proxyOptions)
            .AddConsoleTokenController(tokenOptions);
    }

    /// <summary>
    /// The operator's runtime without its controllers, as `run` composes it: one set of token store connections and
    /// <c>AddKubernetesOperator</c> named as the operator (reporting controller, identity, namespace, leader election).
    /// The caller registers the cluster (a <c>KubernetesClientConfiguration</c> or a <see cref="KubernetesClient"/>), a
    /// <see cref="TimeProvider"/> and logging; a test or a benchmark adds the one controller it exercises to the builder.
    /// </summary>
    public static OperatorBuilder AddConsoleOperatorRuntime(this IServiceCollection services, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);

        // One set of token store connections for both controllers: TokenStoreReady describes the path tokens take.
        services.AddProxyTokenStores(settings.TokenStoreAddresses, settings.TokenStoreConnectTimeout, settings.TokenStoreOperationTimeout);
        return services.AddKubernetesOperator(options =>
        {
            options.ReportingController = OperatorRuntime.ReportingController;
            options.Identity = settings.Identity;
            options.Namespace = settings.Namespace;
            options.LeaseNamespace = settings.LeaseNamespace;
            options.LeaseName = settings.LeaseName;
            options.LeaderElection = !settings.LeaderElect ? null : new LeaderElectionOptions
            {
                LeaseDuration = settings.LeaseDuration,
                RenewDeadline = settings.RenewDeadline,
                RetryPeriod = settings.RetryPeriod,
            };
        });
    }
}
