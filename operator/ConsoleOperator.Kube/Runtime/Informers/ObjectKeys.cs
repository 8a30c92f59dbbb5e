using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>Keys of objects: what caches index by and work queues carry.</summary>
public static class ObjectKeys
{
    /// <summary><c>namespace/name</c>, or the name alone for a cluster-scoped object.</summary>
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var name = obj.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A {obj.Kind ?? "object"} without metadata.name has no key.", nameof(obj));
        }

        return new ObjectKey(obj.Metadata.NamespaceProperty ?? string.Empty, name);
    }
}
