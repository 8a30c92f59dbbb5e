using System.Reflection;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Rbac;

/// <summary>
/// Turns the <see cref="EntityRbacAttribute"/>s on a set of types into policy rules: verbs are merged per resource,
/// then resources of one API group with the same verbs share a rule. Order follows the attributes, so the output
/// is stable and reads in the order the code declares it.
/// </summary>
public static class RbacRules
{
    // The single verbs in the enum's order (get, list, watch, create, update, patch, delete), named as Kubernetes names them.
    private static readonly RbacVerb[] SingleVerbs = [.. Enum.GetValues<RbacVerb>().Where(verb => verb != RbacVerb.None && (verb & (verb - 1)) == 0)];

    /// <summary>The rules of the ClusterRole, or with <paramref name="inOperatorNamespace"/> those of the Role.</summary>
    public static IReadOnlyList<V1PolicyRule> For(IEnumerable<Type> declaringTypes, bool inOperatorNamespace)
    {
        ArgumentNullException.ThrowIfNull(declaringTypes);
        var verbs = new Dictionary<(string Group, string Resource), RbacVerb>();
        foreach (var attribute in declaringTypes.SelectMany(type => type.GetCustomAttributes<EntityRbacAttribute>()).Where(a => a.InOperatorNamespace == inOperatorNamespace))
        {
            if (attribute.Verbs == RbacVerb.None || attribute.Entities.Count == 0)
            {
                throw new InvalidOperationException("an [EntityRbac] needs at least one entity type and one verb");
            }

            foreach (var entity in attribute.Entities)
            {
                var key = Resource(entity, attribute.Subresource);
                verbs[key] = verbs.GetValueOrDefault(key) | attribute.Verbs;
            }
        }

        return
        [
            .. verbs
                .GroupBy(pair => (pair.Key.Group, pair.Value))
                .Select(rule => new V1PolicyRule
                {
                    ApiGroups = [rule.Key.Group],
                    Resources = [.. rule.Select(pair => pair.Key.Resource)],
                    Verbs = [.. SingleVerbs.Where(verb => rule.Key.Value.HasFlag(verb)).Select(verb => verb.ToString().ToLowerInvariant())],
                }),
        ];
    }

    private static (string Group, string Resource) Resource(Type entity, string? subresource)
    {
        var kind = entity.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{entity.Name} has no [KubernetesEntity] naming its group and plural");
        return (kind.Group ?? string.Empty, subresource is null ? kind.PluralName : $"{kind.PluralName}/{subresource}");
    }
}
