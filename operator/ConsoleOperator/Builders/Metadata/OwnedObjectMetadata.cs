using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using k8s.Models;

namespace ConsoleOperator.Builders.Metadata;

/// <summary>
/// The metadata of an object owned by a ConsoleProxy: same namespace, the standard labels, and a controller
/// owner reference so deleting the ConsoleProxy lets the garbage collector remove it.
/// </summary>
public static class OwnedObjectMetadata
{
    public static V1ObjectMeta Create(ConsoleProxyResource owner, string name, Component component, Dictionary<string, string>? annotations = null) => new()
    {
        Name = name,
        NamespaceProperty = owner.Metadata.NamespaceProperty,
        Labels = ObjectLabels.For(owner.Metadata.Name!, component),
        Annotations = annotations is { Count: > 0 } ? annotations : null,
        OwnerReferences = [ControllerReference(owner)],
    };

    public static V1OwnerReference ControllerReference(ConsoleProxyResource owner) => new()
    {
        ApiVersion = ApiGroup.ApiVersion,
        Kind = ConsoleProxyResource.KindName,
        Name = owner.Metadata.Name ?? throw new ArgumentException("the ConsoleProxy has no metadata.name", nameof(owner)),
        Uid = owner.Metadata.Uid ?? throw new ArgumentException($"the ConsoleProxy '{owner.Metadata.Name}' has no metadata.uid", nameof(owner)),
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
