namespace ConsoleOperator.Kube.Runtime.Rbac;

/// <summary>
/// What a controller does to a kind, as KubeOps' <c>[EntityRbac]</c>: the operator's ClusterRole and Role are generated
/// from these attributes (<see cref="RbacRules"/>), so the permissions sit next to the code that needs them and a
/// test fails when the committed manifests drift. The entity types carry <c>[KubernetesEntity]</c> (the library's
/// models and the operator's own kinds), which names their group and plural.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class EntityRbacAttribute(params Type[] entities) : Attribute
{
    public IReadOnlyList<Type> Entities { get; } = entities;

    public RbacVerb Verbs { get; init; }

    /// <summary>A subresource (<c>status</c>, <c>finalizers</c>) instead of the kind itself.</summary>
    public string? Subresource { get; init; }

    /// <summary>
    /// Granted only in the namespace the operator runs in (its leader-election Lease): a rule of its Role, not of its
    /// ClusterRole.
    /// </summary>
    public bool InOperatorNamespace { get; init; }
}
