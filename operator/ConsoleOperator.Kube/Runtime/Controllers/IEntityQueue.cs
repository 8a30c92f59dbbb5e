using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Asks the controller of <typeparamref name="TEntity"/> for a reconcile from outside its informers (KubeOps'
/// <c>EntityRequeue</c>): inject it where an external event concerns an object, e.g. a token store that lost its data.
/// <see cref="Controller{T}"/> is one. A request while the controller does not run (standby replica, stopping) is
/// dropped: the next run seeds every key.
/// </summary>
public interface IEntityQueue<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    void Enqueue(ObjectKey key);

    void EnqueueAfter(ObjectKey key, TimeSpan delay);
}
