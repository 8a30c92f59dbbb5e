using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Finalizers;
using ConsoleOperator.Kube.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// Remembers the controllers, finalizers and services added here for the controller manager, which takes them once the
/// services exist. Each controller is a singleton in DI, and also its kind's <see cref="IEntityQueue{TEntity}"/>. The
/// builder itself is in DI.
/// </summary>
internal sealed class OperatorBuilder(IServiceCollection services) : IOperatorBuilder
{
    private readonly List<Func<IServiceProvider, IController>> _controllers = [];
    private readonly List<(string Name, Func<IServiceProvider, Func<CancellationToken, Task>> Run)> _services = [];
    private readonly List<(Type Entity, string Name, Type Finalizer)> _finalizers = [];

    public IServiceCollection Services { get; } = services;

    public IOperatorBuilder AddController<TController, TEntity>(Action<EntityControllerBuilder<TEntity>>? configure = null)
        where TController : class, IEntityController<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        if (Services.Any(service => service.ServiceType == typeof(Controller<TEntity>)))
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} already has a controller: one kind has one controller");
        }

        var configuration = new EntityControllerBuilder<TEntity>();
        configure?.Invoke(configuration);
        Services.TryAddSingleton<TController>();
        Services.AddSingleton(provider => BuildController<TController, TEntity>(provider, configuration));
        Services.AddSingleton<IEntityQueue<TEntity>>(provider => provider.GetRequiredService<Controller<TEntity>>());
        _controllers.Add(provider => provider.GetRequiredService<Controller<TEntity>>());
        return this;
    }

    public IOperatorBuilder AddFinalizer<TFinalizer, TEntity>(string name)
        where TFinalizer : class, IEntityFinalizer<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        FinalizerPatcher.ValidateName(name);
        Services.TryAddSingleton<TFinalizer>();
        _finalizers.Add((typeof(TEntity), name, typeof(TFinalizer)));
        return this;
    }

    public IOperatorBuilder AddService(string name, Func<IServiceProvider, Func<CancellationToken, Task>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        _services.Add((name, run));
        return this;
    }

    /// <summary>The controllers added here, built now (with every informer they ask the registry for).</summary>
    public IEnumerable<IController> Controllers(IServiceProvider provider) => _controllers.Select(controller => controller(provider));

    public IEnumerable<(string Name, Func<CancellationToken, Task> Run)> BackgroundServices(IServiceProvider provider) =>
        _services.Select(service => (service.Name, service.Run(provider)));

    /// <summary>The shared primary informer, the author's controller and finalizers from DI, and the watches.</summary>
    private Controller<TEntity> BuildController<TController, TEntity>(IServiceProvider services, EntityControllerBuilder<TEntity> configuration)
        where TController : class, IEntityController<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        var primary = services.GetRequiredService<InformerRegistry>().Get<TEntity>(name: configuration.InformerName);
        // Unbound to a namespace: finalizer patches go to each object's own namespace.
        var client = services.GetRequiredService<KubernetesClient>().Resource(ResourceDescriptor.ForEntity<TEntity>(), EntityJson.TypeInfo<TEntity>());
        var finalizers = _finalizers.Where(f => f.Entity == typeof(TEntity))
            .Select(f => KeyValuePair.Create(f.Name, (IEntityFinalizer<TEntity>)services.GetRequiredService(f.Finalizer)));
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
        return controller;
    }
}
