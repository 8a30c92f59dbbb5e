using ConsoleOperator.Kube.Runtime.Entities;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ConsoleOperator.Kube.Runtime.Builder;

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
        Services.AddSingleton<IControllerRegistration>(new ControllerRegistration<TController, TEntity>(configuration));
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
        Services.AddSingleton<IOperatorService>(provider => new DelegateOperatorService(name, run(provider)));
        return this;
    }

    public IOperatorBuilder AddService<TService>()
        where TService : class, IOperatorService
    {
        Services.TryAddSingleton<TService>();
        Services.AddSingleton<IOperatorService>(provider => provider.GetRequiredService<TService>());
        return this;
    }
}
