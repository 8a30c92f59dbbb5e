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

    // [KubernetesEntity] says nothing of scope: these built-in kinds are cluster-scoped, every other kind namespaced
    // (as every kind of this operator is).
    private static readonly HashSet<Type> ClusterScoped = [typeof(V1Namespace), typeof(V1CustomResourceDefinition)];

    /// <summary>
    /// Where an entity type lives, read from its <see cref="KubernetesEntityAttribute"/> as KubeOps does, so callers name
    /// only types.
    /// </summary>
    public static ResourceDescriptor ForEntity<TEntity>()
    {
        var entity = typeof(TEntity).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no [KubernetesEntity] attribute naming its group, version and plural");
        if (string.IsNullOrWhiteSpace(entity.PluralName))
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name}'s [KubernetesEntity] has no PluralName, which its URLs need");
        }

        return new ResourceDescriptor(entity.Group ?? string.Empty, entity.ApiVersion, entity.PluralName, entity.Kind, !ClusterScoped.Contains(typeof(TEntity)));
    }

    public override string ToString() => Group.Length == 0 ? $"{Plural}/{Version}" : $"{Plural}.{Group}/{Version}";
}
