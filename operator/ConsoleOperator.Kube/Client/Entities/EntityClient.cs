using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Entities;

/// <summary>
/// The typed client addressed KubeOps-style: where the resource lives comes from the type's
/// <see cref="KubernetesEntityAttribute"/> (group, version, plural, kind), so a caller names only the type and a
/// namespace (none: cluster-scoped). The verbs are <see cref="ResourceClient{T}"/>'s; this adds no behaviour.
/// </summary>
public sealed class EntityClient<TEntity> : ResourceClient<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    public EntityClient(KubernetesClient client, string? @namespace)
        : base(client, ResourceDescriptor.ForEntity<TEntity>(), EntityJson.TypeInfo<TEntity>(), @namespace)
    {
    }

}
