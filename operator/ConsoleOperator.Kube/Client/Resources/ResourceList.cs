using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>One page (or the concatenated pages) of a LIST: the items and the list's metadata.</summary>
public sealed record ResourceList<T>(V1ListMeta Metadata, IReadOnlyList<T> Items)
    where T : IKubernetesObject<V1ObjectMeta>;
