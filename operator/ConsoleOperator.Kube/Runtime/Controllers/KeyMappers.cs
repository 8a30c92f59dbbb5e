using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Maps a watched (secondary) object to the keys of the primary objects to reconcile when it changes, the way
/// controller-runtime's EnqueueRequestForOwner does (other mappings are the caller's own functions).
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
}
