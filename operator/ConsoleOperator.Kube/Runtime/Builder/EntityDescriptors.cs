using System.Reflection;
using ConsoleOperator.Kube.Client.Resources;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// Where an entity type lives in the API, read from its <see cref="KubernetesEntityAttribute"/> as KubeOps does, so
/// registering a controller names only types. A built-in kind takes its known descriptor (which knows whether it is
/// cluster-scoped); any other kind is namespaced, as every kind of this operator is.
/// </summary>
public static class EntityDescriptors
{
    public static ResourceDescriptor For<TEntity>() => For(typeof(TEntity));

    public static ResourceDescriptor For(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        var entity = entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{entityType.Name} has no [KubernetesEntity] attribute: add one naming its group, version, kind and plural", nameof(entityType));
        var group = entity.Group ?? string.Empty;
        var apiVersion = group.Length == 0 ? entity.ApiVersion : $"{group}/{entity.ApiVersion}";
        if (KnownResources.Find(apiVersion, entity.Kind) is { } known)
        {
            return known;
        }

        if (string.IsNullOrWhiteSpace(entity.PluralName))
        {
            throw new ArgumentException($"{entityType.Name}'s [KubernetesEntity] has no PluralName, which builds its URLs", nameof(entityType));
        }

        return ResourceDescriptor.Custom(group, entity.ApiVersion, entity.PluralName, entity.Kind);
    }
}
