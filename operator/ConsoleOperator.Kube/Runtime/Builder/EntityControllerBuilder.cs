using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// How one controller is run: its name, workers, the informer of its primary kind, and what else it hears about
/// (objects it owns, or any watched kind with a mapping to the primary keys it concerns).
/// </summary>
public sealed class EntityControllerBuilder<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private readonly List<Action<IServiceProvider, Controller<TEntity>>> _watches = [];

    /// <summary>In logs, metrics (the controller label) and errors; default: the kind in lower case.</summary>
    public string Name { get; set; } = ResourceDescriptor.ForEntity<TEntity>().Kind.ToLowerInvariant();

    public int Workers { get; set; } = 1;

    /// <summary>The primary informer's name in logs and /readyz (default: the plural).</summary>
    public string? InformerName { get; set; }

    /// <summary>
    /// Reconciles the owner when an object of <typeparamref name="TOwned"/> whose controller reference names a
    /// <typeparamref name="TEntity"/> changes (a deleted Service is recreated, a rollout shows in status).
    /// </summary>
    public EntityControllerBuilder<TEntity> Owns<TOwned>(string? labelSelector = null, string? informerName = null)
        where TOwned : class, IKubernetesObject<V1ObjectMeta>
    {
        _watches.Add((services, controller) => controller.Owns(Informer<TOwned>(services, labelSelector, informerName)));
        return this;
    }

    /// <summary>
    /// Reconciles the primary keys <paramref name="map"/> names when an object of <typeparamref name="TWatched"/>
    /// changes (both its old and new state are mapped). The map is made once the services exist, so it may read them.
    /// </summary>
    public EntityControllerBuilder<TEntity> Watches<TWatched>(Func<IServiceProvider, Func<TWatched, IEnumerable<ObjectKey>>> map, string? labelSelector = null, string? informerName = null)
        where TWatched : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        _watches.Add((services, controller) => controller.Watches(Informer<TWatched>(services, labelSelector, informerName), map(services)));
        return this;
    }

    private static Informer<TWatched> Informer<TWatched>(IServiceProvider services, string? labelSelector, string? informerName)
        where TWatched : class, IKubernetesObject<V1ObjectMeta> =>
        services.GetRequiredService<InformerRegistry>().Get<TWatched>(labelSelector, informerName);

    /// <summary>The controller on the shared primary informer, with the kind's finalizers from DI and the watches.</summary>
    internal Controller<TEntity> Build(IServiceProvider services, IEntityController<TEntity> reconciler)
    {
        // Unbound to a namespace: finalizer patches go to each object's own namespace.
        var client = services.GetRequiredService<KubernetesClient>().Resource(ResourceDescriptor.ForEntity<TEntity>(), EntityJson.TypeInfo<TEntity>());
        var controller = new Controller<TEntity>(
            Name,
            Informer<TEntity>(services, null, InformerName),
            client,
            reconciler,
            services.GetServices<FinalizerRegistration<TEntity>>().Select(f => KeyValuePair.Create(f.Name, f.Finalizer)),
            new ControllerOptions { Workers = Workers, Metrics = services.GetRequiredService<MetricsRegistry>() },
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());
        foreach (var watch in _watches)
        {
            watch(services, controller);
        }

        return controller;
    }
}
