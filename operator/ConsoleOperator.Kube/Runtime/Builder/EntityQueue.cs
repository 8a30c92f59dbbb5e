using ConsoleOperator.Kube.Runtime.Controllers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>The <see cref="IEntityQueue{TEntity}"/> in DI, bound to its controller when the runtime builds it.</summary>
internal sealed class EntityQueue<TEntity> : IEntityQueue<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private Controller<TEntity>? _controller;

    public void Bind(Controller<TEntity> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Interlocked.CompareExchange(ref _controller, target, null) is not null)
        {
            throw new InvalidOperationException($"a second controller for {typeof(TEntity).Name} was registered: one kind has one controller");
        }
    }

    public void Enqueue(ObjectKey key) => Volatile.Read(ref _controller)?.Enqueue(key);

    public void EnqueueAfter(ObjectKey key, TimeSpan delay) => Volatile.Read(ref _controller)?.EnqueueAfter(key, delay);
}
