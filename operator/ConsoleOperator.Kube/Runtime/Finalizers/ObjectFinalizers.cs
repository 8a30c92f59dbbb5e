using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Finalizers;

/// <summary>Reading an object's deletion state.</summary>
public static class ObjectFinalizers
{
    /// <summary>The object is being deleted: it has a deletionTimestamp and waits for its finalizers.</summary>
    public static bool IsTerminating(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.DeletionTimestamp is not null;
    }

    public static bool Has(IKubernetesObject<V1ObjectMeta> obj, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.Finalizers?.Contains(finalizer) == true;
    }
}
