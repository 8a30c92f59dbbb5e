using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// The objects of one kind a ConsoleProxy owns: an informer over the operator-managed ones (what a reconcile compares
/// with, and what wakes the owner when someone edits or deletes them), server-side apply with the owner as controller,
/// and deletion of what the spec no longer asks for (found by controller owner reference, never by name alone).
/// </summary>
public sealed class OwnedKind<T> : IOwnedKind
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceClient<T> _client;
    private readonly ServerSideApplier<T> _applier;

    public OwnedKind(ResourceClient<T> client, JsonTypeInfo<T> typeInfo, Informer<T> informer, string fieldManager, string hashAnnotation)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(informer);
        _client = client;
        TypedInformer = informer;
        _applier = new ServerSideApplier<T>(client, typeInfo, fieldManager, hashAnnotation);
    }

    public string Kind => _client.Descriptor.Kind;

    public Informer<T> TypedInformer { get; }

    public IInformer Informer => TypedInformer;

    public bool Handles(IKubernetesObject<V1ObjectMeta> desired) => desired is T;

    public async Task<OwnedObjectOutcome> ApplyAsync(IKubernetesObject<V1ObjectMeta> desired, ConsoleProxyResource owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var typed = desired as T ?? throw new ArgumentException($"{desired.Kind} is not a {Kind}.", nameof(desired));
        var current = TypedInformer.Cache.Get(owner.Metadata.NamespaceProperty!, typed.Metadata.Name!);
        var outcome = await _applier.ApplyAsync(typed, current, owner, cancellationToken);
        return new OwnedObjectOutcome(outcome.Object, outcome.Written);
    }

    public async Task<IReadOnlyList<string>> DeleteUnwantedAsync(ConsoleProxyResource owner, IReadOnlySet<string> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(wanted);
        var ns = owner.Metadata.NamespaceProperty!;
        var deleted = new List<string>();
        foreach (var stale in TypedInformer.Cache.List(ns).Where(obj => OwnerReferences.IsControlledBy(obj, owner) && !wanted.Contains(obj.Metadata.Name!)))
        {
            if (stale.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            try
            {
                // The uid precondition: never delete a same-named successor created since the cache saw this one.
                await _client.InNamespace(ns).DeleteAsync(
                    stale.Metadata.Name!,
                    new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = stale.Metadata.Uid }, PropagationPolicy = "Background" },
                    cancellationToken);
                deleted.Add(stale.Metadata.Name!);
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                // Already gone: what we wanted.
            }
        }

        return deleted;
    }
}
