using System.Collections.Concurrent;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// The operator's shared informers: one per kind and label selector, in the watched namespace, whoever asks for it
/// (controller-runtime's cache). Two controllers reading ConsoleProxies list and watch them once. The runtime runs
/// every informer created here (on every replica, so a standby has warm caches).
/// </summary>
public sealed class InformerRegistry(KubernetesClient client, IOptions<OperatorOptions> options, TimeProvider time, ILoggerFactory logs)
{
    private readonly ConcurrentDictionary<(Type Type, string Selector), IInformer> _informers = new();

    public IReadOnlyList<IInformer> All => [.. _informers.Values];

    /// <summary>
    /// The informer of <typeparamref name="TEntity"/> objects matching <paramref name="labelSelector"/> (null: all);
    /// <paramref name="name"/> names it in logs and /readyz when this call creates it (default: the plural, plus the selector).
    /// </summary>
    public Informer<TEntity> Get<TEntity>(string? labelSelector = null, string? name = null)
        where TEntity : class, IKubernetesObject<V1ObjectMeta> =>
        (Informer<TEntity>)_informers.GetOrAdd((typeof(TEntity), labelSelector ?? string.Empty), _ => Create<TEntity>(labelSelector, name));

    private Informer<TEntity> Create<TEntity>(string? labelSelector, string? name)
        where TEntity : class, IKubernetesObject<V1ObjectMeta>
    {
        var descriptor = ResourceDescriptor.ForEntity<TEntity>();
        var resource = client.Resource(descriptor, EntityJson.TypeInfo<TEntity>(), descriptor.Namespaced ? options.Value.Namespace : null);
        var informerName = name ?? (labelSelector is null ? descriptor.Plural : $"{descriptor.Plural}[{labelSelector}]");
        return new Informer<TEntity>(resource, new InformerOptions { Name = informerName, LabelSelector = labelSelector }, time, logs);
    }
}
