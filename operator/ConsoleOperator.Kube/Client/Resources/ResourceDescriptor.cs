using System.Reflection;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>
/// Where a kind lives in the API: group, version, plural (the library's generic operations build the URL from them,
/// <c>/api/v1/...</c> for the core group, <c>/apis/{group}/{version}/...</c> otherwise), kind and scope, without discovery.
/// </summary>
/// <param name="Group">Empty for the core group.</param>
public sealed record ResourceDescriptor(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary><c>v1</c> for core, <c>group/version</c> otherwise: the value of an object's apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// Where an entity type lives, read from its <see cref="KubernetesEntityAttribute"/> as KubeOps does, so callers name
    /// only types. A built-in kind takes its known descriptor (which knows whether it is cluster-scoped); any other kind
    /// is namespaced, as every kind of this operator is.
    /// </summary>
    public static ResourceDescriptor ForEntity<TEntity>()
    {
        var entity = typeof(TEntity).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no [KubernetesEntity] attribute naming its group, version and plural");
        var group = entity.Group ?? string.Empty;
        var apiVersion = group.Length == 0 ? entity.ApiVersion : $"{group}/{entity.ApiVersion}";
        if (KnownResources.Find(apiVersion, entity.Kind) is { } known)
        {
            return known;
        }

        if (string.IsNullOrWhiteSpace(entity.PluralName))
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name}'s [KubernetesEntity] has no PluralName, which its URLs need");
        }

        return new ResourceDescriptor(group, entity.ApiVersion, entity.PluralName, entity.Kind, Namespaced: true);
    }

    public override string ToString() => Group.Length == 0 ? $"{Plural}/{Version}" : $"{Plural}.{Group}/{Version}";
}
