using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Entities;

/// <summary>
/// Cleanup that must finish before a deleted object goes, in KubeOps' shape. The runtime puts the finalizer's name on
/// every object before its first reconcile and, once the object is terminating, calls <see cref="FinalizeAsync"/> and
/// removes the name when it returns. Throwing keeps the name and retries with backoff; it must be safe to run twice.
/// </summary>
public interface IEntityFinalizer<in TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    Task FinalizeAsync(TEntity entity, CancellationToken cancellationToken);
}
