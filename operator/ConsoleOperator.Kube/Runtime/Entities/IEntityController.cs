using ConsoleOperator.Kube.Runtime.Controllers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Entities;

/// <summary>
/// What an operator author writes for one kind, in KubeOps' shape: the runtime hands over the current object and
/// turns the result into a requeue. Throwing retries with backoff (a 409 Conflict quietly; a 404 on the object itself
/// ends quietly). The runtime's finalizers are already on <c>entity</c> when <see cref="ReconcileAsync"/> runs, and a
/// terminating object goes to the <see cref="IEntityFinalizer{TEntity}"/>s, never here.
/// </summary>
public interface IEntityController<in TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Brings the world in line with a live (not terminating) object.</summary>
    Task<ReconcileResult> ReconcileAsync(TEntity entity, CancellationToken cancellationToken);

    /// <summary>
    /// The object is gone (its finalizers are done). <paramref name="entity"/> is its last state this process saw, or
    /// only its name and namespace when it went before this process saw it (deleted while the operator was down, or a
    /// key named by a watched object): clean up what is left by name, never by content.
    /// </summary>
    Task<ReconcileResult> DeletedAsync(TEntity entity, CancellationToken cancellationToken);
}
