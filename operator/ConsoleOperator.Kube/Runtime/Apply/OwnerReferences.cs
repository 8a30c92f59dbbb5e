using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Apply;

/// <summary>Builds and reads controller owner references (what garbage collection and owner-mapped watches use).</summary>
public static class OwnerReferences
{
    /// <summary>
    /// Makes <paramref name="owner"/> the controller of <paramref name="owned"/>, keeping other (non-controller)
    /// references. Throws when another object already controls it: an object has one controller. The reference has
    /// controller=true and blockOwnerDeletion=true (a foreground deletion of the owner waits for the owned object).
    /// </summary>
    public static void SetController(IKubernetesObject<V1ObjectMeta> owned, IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(owner);
        var metadata = owner.Metadata;
        if (string.IsNullOrEmpty(owner.ApiVersion) || string.IsNullOrEmpty(owner.Kind) || string.IsNullOrEmpty(metadata.Name) || string.IsNullOrEmpty(metadata.Uid))
        {
            throw new ArgumentException("The owner has no apiVersion, kind, name or uid: pass an object read from the server or the cache.", nameof(owner));
        }

        if (owned.Metadata.NamespaceProperty is { Length: > 0 } ownedNamespace && owner.Metadata.NamespaceProperty is { Length: > 0 } ownerNamespace && ownedNamespace != ownerNamespace)
        {
            throw new ArgumentException($"A {owner.Kind} in namespace {ownerNamespace} cannot own an object in namespace {ownedNamespace}.", nameof(owner));
        }

        var references = owned.Metadata.OwnerReferences ?? [];
        var existing = references.FirstOrDefault(r => r.Controller == true);
        if (existing is not null && existing.Uid != metadata.Uid)
        {
            throw new InvalidOperationException($"{owned.Kind} {owned.Metadata.Name} is already controlled by {existing.Kind} {existing.Name}.");
        }

        var reference = new V1OwnerReference
        {
            ApiVersion = owner.ApiVersion,
            Kind = owner.Kind,
            Name = metadata.Name,
            Uid = metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
        owned.Metadata.OwnerReferences = [.. references.Where(r => r.Uid != reference.Uid), reference];
    }

    /// <summary>Whether <paramref name="owner"/> is the controller of <paramref name="owned"/>.</summary>
    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> owned, IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(owner);
        return owned.GetController()?.Uid is { } uid && uid == owner.Uid();
    }
}
