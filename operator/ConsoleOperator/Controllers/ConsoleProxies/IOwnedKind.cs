using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>One kind of object a ConsoleProxy owns, whatever its model type: applied, watched and pruned alike.</summary>
public interface IOwnedKind
{
    /// <summary>The kind, e.g. Deployment.</summary>
    string Kind { get; }

    /// <summary>The informer of this kind's operator-managed objects.</summary>
    IInformer Informer { get; }

    /// <summary>Whether <paramref name="desired"/> is an object of this kind.</summary>
    bool Handles(IKubernetesObject<V1ObjectMeta> desired);

    /// <summary>Applies the object unless the cached one already matches; the result says what stands now and whether it was written.</summary>
    Task<OwnedObjectOutcome> ApplyAsync(IKubernetesObject<V1ObjectMeta> desired, ConsoleProxyResource owner, CancellationToken cancellationToken);

    /// <summary>Deletes the objects of this kind <paramref name="owner"/> controls whose names are not in <paramref name="wanted"/>; returns their names.</summary>
    Task<IReadOnlyList<string>> DeleteUnwantedAsync(ConsoleProxyResource owner, IReadOnlySet<string> wanted, CancellationToken cancellationToken);
}
