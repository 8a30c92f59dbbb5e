using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>What applying one owned object did: the object as it stands now, and whether a request was sent.</summary>
public sealed record OwnedObjectOutcome(IKubernetesObject Object, bool Written)
{
    public string Description => $"{Object.Kind} {Object.Metadata.Name}";
}
