using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// Each controller and service added here becomes a <see cref="ManagerPart"/>: what it adds to the controller manager
/// once the services exist (controllers are built then, so every informer they ask for runs with the manager).
/// </summary>
internal sealed class OperatorBuilder(IServiceCollection services) : IOperatorBuilder
{
    public IServiceCollection Services { get; } = services;

    public IOperatorBuilder AddController<TController, TEntity>(Action<EntityControllerBuilder<TEntity>>? configure = null)
        where TController : class, IEntityController<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        if (Services.Any(service => service.ServiceType == typeof(IEntityQueue<TEntity>)))
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} already has a controller: one kind has one controller");
        }

        var configuration = new EntityControllerBuilder<TEntity>();
        configure?.Invoke(configuration);
        Services.TryAddSingleton<TController>();
        Services.AddSingleton<IEntityQueue<TEntity>>(new EntityQueue<TEntity>());
        Services.AddSingleton(new ManagerPart((provider, manager) => manager.AddController(BuildController<TController, TEntity>(provider, configuration))));
        return this;
    }

    public IOperatorBuilder AddFinalizer<TFinalizer, TEntity>(string name)
        where TFinalizer : class, IEntityFinalizer<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        // The API server wants a qualified name; the domain keeps finalizers of different owners apart.
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.Contains('/', StringComparison.Ordinal) || name.Length > 316)
        {
            throw new ArgumentException($"'{name}' is not a valid finalizer name: use a domain-qualified name such as example.dev/cleanup", nameof(name));
        }

        Services.TryAddSingleton<TFinalizer>();
        Services.AddSingleton(new FinalizerRegistration<TEntity>(name, typeof(TFinalizer)));
        return this;
    }

    public IOperatorBuilder AddService(string name, Func<IServiceProvider, Func<CancellationToken, Task>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        Services.AddSingleton(new ManagerPart((provider, manager) => manager.AddService(name, run(provider))));
        return this;
    }

    /// <summary>
    /// The shared primary informer, the author's controller and finalizers from DI, the watches, and the <see cref="IEntityQueue{TEntity}"/> bound to it.
    /// </summary>
    private static Controller<TEntity> BuildController<TController, TEntity>(IServiceProvider services, EntityControllerBuilder<TEntity> configuration)
        where TController : class, IEntityController<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        var primary = services.GetRequiredService<InformerRegistry>().Get<TEntity>(name: configuration.InformerName);
        // Unbound to a namespace: finalizer patches go to each object's own namespace.
        var client = services.GetRequiredService<KubernetesClient>().Resource(ResourceDescriptor.ForEntity<TEntity>(), EntityJson.TypeInfo<TEntity>());
        var finalizers = services.GetServices<FinalizerRegistration<TEntity>>()
            .Select(f => KeyValuePair.Create(f.Name, (IEntityFinalizer<TEntity>)services.GetRequiredService(f.FinalizerType)));
        var controller = new Controller<TEntity>(
            configuration.Name,
            primary,
            client,
            services.GetRequiredService<TController>(),
            finalizers,
            new ControllerOptions { Workers = configuration.Workers, Metrics = services.GetRequiredService<MetricsRegistry>() },
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>());
        configuration.ApplyWatches(services, controller);
        ((EntityQueue<TEntity>)services.GetRequiredService<IEntityQueue<TEntity>>()).Bind(controller);
        return controller;
    }
}
