using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Maps a watched (secondary) object to the keys of the primary objects to reconcile when it changes, the way
/// controller-runtime's EnqueueRequestForOwner and label-based mappings do.
/// </summary>
public static class KeyMappers
{
    /// <summary>
    /// The owner named by the object's controller ownerReference, when that owner has the given apiVersion and kind.
    /// Owners live in the object's namespace (namespaced owners cannot own objects elsewhere).
    /// </summary>
    public static Func<TObject, IEnumerable<ObjectKey>> ByControllerOwner<TObject>(string ownerApiVersion, string ownerKind)
        where TObject : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerApiVersion);
        ArgumentException.ThrowIfNullOrEmpty(ownerKind);
        return obj =>
        {
            var owner = obj.Metadata.OwnerReferences?.FirstOrDefault(reference => reference.Controller == true);
            if (owner is null || owner.ApiVersion != ownerApiVersion || owner.Kind != ownerKind || string.IsNullOrEmpty(owner.Name))
            {
                return [];
            }

            return [new ObjectKey(obj.Metadata.NamespaceProperty ?? string.Empty, owner.Name)];
        };
    }

    /// <summary>
    /// The primary named by a label of the object, in the object's namespace, or in the namespace another label
    /// names (for owners the object cannot reference, e.g. across namespaces).
    /// </summary>
    public static Func<TObject, IEnumerable<ObjectKey>> ByLabel<TObject>(string nameLabel, string? namespaceLabel = null)
        where TObject : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(nameLabel);
        return obj =>
        {
            var labels = obj.Metadata.Labels;
            if (labels is null || !labels.TryGetValue(nameLabel, out var name) || string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
            {
                return [];
            }

            var ns = obj.Metadata.NamespaceProperty ?? string.Empty;
            if (namespaceLabel is not null && labels.TryGetValue(namespaceLabel, out var labelled) && !string.IsNullOrEmpty(labelled))
            {
                ns = labelled;
            }

            return ns.Contains('/', StringComparison.Ordinal) ? [] : [new ObjectKey(ns, name)];
        };
    }
}
