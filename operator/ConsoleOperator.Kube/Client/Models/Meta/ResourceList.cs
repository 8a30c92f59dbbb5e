namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>One page (or the concatenated pages) of a LIST: the items and the list's metadata.</summary>
public sealed record ResourceList<T>(ListMeta Metadata, IReadOnlyList<T> Items)
    where T : IKubernetesObject;
