using k8s;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>What applying one owned object did: the object as it stands now, and whether a request was sent.</summary>
public sealed record OwnedObjectOutcome(IKubernetesObject<V1ObjectMeta> Object, bool Written)
{
    public string Description => $"{Object.Kind} {Object.Metadata.Name}";
}
