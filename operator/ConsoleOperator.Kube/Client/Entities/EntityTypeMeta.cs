using System.Reflection;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Entities;

/// <summary>
/// apiVersion and kind from a type's <see cref="KubernetesEntityAttribute"/>. The library's models leave both null
/// when built in code, while a manifest, an apply body and the schema validators need them.
/// </summary>
public static class EntityTypeMeta
{
    /// <summary>Sets apiVersion and kind where they are null (a type without [KubernetesEntity] is left as is); returns the same object.</summary>
    public static T WithTypeMeta<T>(this T entity)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.GetType().GetCustomAttribute<KubernetesEntityAttribute>() is { } meta)
        {
            entity.ApiVersion ??= string.IsNullOrEmpty(meta.Group) ? meta.ApiVersion : $"{meta.Group}/{meta.ApiVersion}";
            entity.Kind ??= meta.Kind;
        }

        return entity;
    }
}
