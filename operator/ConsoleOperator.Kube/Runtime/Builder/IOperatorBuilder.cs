using ConsoleOperator.Kube.Runtime.Entities;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// KubeOps' builder: <c>services.AddKubernetesOperator(...).AddController&lt;TController, TEntity&gt;().AddFinalizer&lt;TFinalizer, TEntity&gt;(name)</c>.
/// Controllers, finalizers and services come from DI (singletons) with their constructor dependencies.
/// </summary>
public interface IOperatorBuilder
{
    IServiceCollection Services { get; }

    /// <summary>Reconciles <typeparamref name="TEntity"/> with <typeparamref name="TController"/>; one controller per kind.</summary>
    IOperatorBuilder AddController<TController, TEntity>(Action<EntityControllerBuilder<TEntity>>? configure = null)
        where TController : class, IEntityController<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new();

    /// <summary>
    /// Puts <paramref name="name"/> (domain-qualified, e.g. example.dev/cleanup) on every <typeparamref name="TEntity"/>
    /// and runs <typeparamref name="TFinalizer"/> before such an object goes.
    /// </summary>
    IOperatorBuilder AddFinalizer<TFinalizer, TEntity>(string name)
        where TFinalizer : class, IEntityFinalizer<TEntity>
        where TEntity : class, IKubernetesObject<V1ObjectMeta>, new();

    /// <summary>
    /// A background loop on every replica, leading or not, for the operator's lifetime (the event recorder, a health
    /// monitor), given as a method of something resolved from DI.
    /// </summary>
    IOperatorBuilder AddService(string name, Func<IServiceProvider, Func<CancellationToken, Task>> run);
}
