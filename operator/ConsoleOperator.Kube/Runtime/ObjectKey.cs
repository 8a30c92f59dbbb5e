using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime;

/// <summary>
/// The identity of a Kubernetes object within one resource type: what informers index by and what
/// work queues carry (never the object itself, which would be stale by the time it is processed).
/// Written as <c>namespace/name</c>, or just <c>name</c> for cluster-scoped objects, like client-go's
/// <c>MetaNamespaceKeyFunc</c>.
/// </summary>
public readonly record struct ObjectKey
{
    public ObjectKey(string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (@namespace.Contains('/', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Neither namespace '{@namespace}' nor name '{name}' may contain '/'.");
        }

        Namespace = @namespace;
        Name = name;
    }

    /// <summary>The key of an object: what caches index by and work queues carry.</summary>
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(obj.Metadata.NamespaceProperty ?? string.Empty, obj.Metadata.Name ?? string.Empty);
    }

    /// <summary>The namespace, empty for a cluster-scoped object.</summary>
    public string Namespace { get => field ?? string.Empty; }

    /// <summary>The name; empty only for <c>default(ObjectKey)</c>, which no object has.</summary>
    public string Name { get => field ?? string.Empty; }

    public bool IsClusterScoped => Namespace.Length == 0;

    public override string ToString() => IsClusterScoped ? Name : $"{Namespace}/{Name}";
}
