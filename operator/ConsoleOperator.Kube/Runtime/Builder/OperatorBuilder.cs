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
/// KubeOps' builder: <c>services.AddKubernetesOperator(...).AddController&lt;TController, TEntity&gt;().AddFinalizer&lt;TFinalizer, TEntity&gt;(name)</c>.
/// Controllers, finalizers and services come from DI (singletons) with their constructor dependencies. Each controller
/// and background loop is registered in DI, where the controller manager finds them once the services exist (inject
/// <see cref="Controller{T}"/> to ask for reconciles from outside its informers).
/// </summary>
public sealed class OperatorBuilder(IServiceCollection services)
{
    private readonly List<(Type Entity, string Name, Type Finalizer)> _finalizers = [];

    public IServiceCollection Services { get; } = services;

    /// <summary>Reconciles <typeparamref name="TEntity"/> with <typeparamref name="TController"/>; one controller per kind.</summary>
    public OperatorBuilder AddController<TController, TEntity>(Action<EntityControllerBuilder<TEntity>>? configure = null)
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
        Services.AddSingleton<IController>(provider => provider.GetRequiredService<Controller<TEntity>>());
        return this;
    }

    /// <summary>
    /// Puts <paramref name="name"/> (domain-qualified, e.g. example.dev/cleanup) on every <typeparamref name="TEntity"/>
    /// and runs <typeparamref name="TFinalizer"/> before such an object goes.
    /// </summary>
    public OperatorBuilder AddFinalizer<TFinalizer, TEntity>(string name)
        where TFinalizer : class, IEntityFinalizer<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        FinalizerPatcher.ValidateName(name);
        Services.TryAddSingleton<TFinalizer>();
        _finalizers.Add((typeof(TEntity), name, typeof(TFinalizer)));
        return this;
    }

    /// <summary>
    /// A background loop on every replica, leading or not, for the operator's lifetime (the event recorder, a health
    /// monitor), given as a method of something resolved from DI.
    /// </summary>
    public OperatorBuilder AddService(string name, Func<IServiceProvider, Func<CancellationToken, Task>> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        Services.AddSingleton(new BackgroundLoop(name, run));
        return this;
    }

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

/// <summary>A loop added with <see cref="OperatorBuilder.AddService"/>, as registered in DI.</summary>
internal sealed record BackgroundLoop(string Name, Func<IServiceProvider, Func<CancellationToken, Task>> Run);
