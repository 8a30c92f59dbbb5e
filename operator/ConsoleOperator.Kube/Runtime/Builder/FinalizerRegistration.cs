using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>A finalizer added to the builder for <typeparamref name="TEntity"/>: its name on objects and its type in DI.</summary>
internal sealed record FinalizerRegistration<TEntity>(string Name, Type FinalizerType)
    where TEntity : IKubernetesObject<V1ObjectMeta>;
