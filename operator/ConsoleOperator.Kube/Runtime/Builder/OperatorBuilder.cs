using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Finalizers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// KubeOps' builder: <c>services.AddKubernetesOperator(...).AddController&lt;TController, TEntity&gt;().AddFinalizer&lt;TFinalizer, TEntity&gt;(name)</c>.
/// Controllers, finalizers and services come from DI (singletons) with their constructor dependencies. Each controller
/// and background loop is registered in DI, where the controller manager finds them once the services exist (inject
/// <see cref="Controller{T}"/> to ask for reconciles from outside its informers).
/// </summary>
public sealed class OperatorBuilder(IServiceCollection services)
{
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
        Services.AddSingleton(provider => configuration.Build(provider, provider.GetRequiredService<TController>()));
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
        Services.AddSingleton(provider => new FinalizerRegistration<TEntity>(name, provider.GetRequiredService<TFinalizer>()));
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
}

/// <summary>A loop added with <see cref="OperatorBuilder.AddService"/>, as registered in DI.</summary>
internal sealed record BackgroundLoop(string Name, Func<IServiceProvider, Func<CancellationToken, Task>> Run);

/// <summary>A finalizer added with <see cref="OperatorBuilder.AddFinalizer"/>, as registered in DI (in the order added).</summary>
internal sealed record FinalizerRegistration<TEntity>(string Name, IEntityFinalizer<TEntity> Finalizer)
    where TEntity : IKubernetesObject<V1ObjectMeta>;
