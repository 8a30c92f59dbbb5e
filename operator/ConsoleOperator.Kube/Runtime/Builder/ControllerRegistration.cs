using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// Builds the runnable controller of <typeparamref name="TController"/>: the shared primary informer, the author's
/// controller and finalizers from DI behind an <see cref="EntityReconciler{TEntity}"/>, the watches, and the
/// <see cref="IEntityQueue{TEntity}"/> bound to it.
/// </summary>
internal sealed class ControllerRegistration<TController, TEntity>(EntityControllerBuilder<TEntity> configuration) : IControllerRegistration
    where TController : class, IEntityController<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
{
    public IController Build(IServiceProvider services)
    {
        var primary = services.GetRequiredService<InformerRegistry>().Get<TEntity>(name: configuration.InformerName);
        // Unbound to a namespace: finalizer patches go to each object's own namespace.
        var client = services.GetRequiredService<KubernetesClient>().Resource(ResourceDescriptor.ForEntity<TEntity>(), EntityJson.TypeInfo<TEntity>());
        var finalizers = services.GetServices<FinalizerRegistration<TEntity>>()
            .Select(f => KeyValuePair.Create(f.Name, (IEntityFinalizer<TEntity>)services.GetRequiredService(f.FinalizerType)))
            .ToList();
        var reconciler = new EntityReconciler<TEntity>(primary, client, services.GetRequiredService<TController>(), finalizers);
        var controller = new Controller<TEntity>(
            configuration.Name,
            primary,
            reconciler,
            new ControllerOptions { Workers = configuration.Workers, Metrics = services.GetRequiredService<MetricsRegistry>() },
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());
        configuration.ApplyWatches(services, controller);
        ((EntityQueue<TEntity>)services.GetRequiredService<IEntityQueue<TEntity>>()).Bind(controller);
        return controller;
    }
}
