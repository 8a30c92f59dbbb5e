using System.Collections.Concurrent;
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
    private static readonly ConcurrentDictionary<Type, (string ApiVersion, string Kind)?> Known = new();

    /// <summary>Sets apiVersion and kind where they are null; returns the same object.</summary>
    public static T WithTypeMeta<T>(this T entity)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (For(entity.GetType()) is { } meta)
        {
            entity.ApiVersion ??= meta.ApiVersion;
            entity.Kind ??= meta.Kind;
        }

        return entity;
    }

    /// <summary>The apiVersion and kind of <paramref name="type"/>, or null when it has no [KubernetesEntity].</summary>
    public static (string ApiVersion, string Kind)? For(Type type) =>
        Known.GetOrAdd(type, static type => type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity
            ? (string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}", entity.Kind)
            : null);
}
