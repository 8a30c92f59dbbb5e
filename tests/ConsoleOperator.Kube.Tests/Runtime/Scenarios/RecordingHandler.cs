using System.Collections.Concurrent;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Records every change an informer delivers, as text lines like <c>added w1 initial</c>.</summary>
public sealed class RecordingHandler<T> : IResourceEventHandler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public ConcurrentQueue<string> Changes { get; } = new();

    public bool Saw(string change) => Changes.Contains(change);

    public void OnAdded(T obj, bool isInInitialList) => Changes.Enqueue($"added {obj.Metadata.Name}{(isInInitialList ? " initial" : string.Empty)}");

    public void OnUpdated(T oldObj, T newObj) =>
        Changes.Enqueue(oldObj.Metadata.ResourceVersion == newObj.Metadata.ResourceVersion ? $"resynced {newObj.Metadata.Name}" : $"updated {newObj.Metadata.Name}");

    public void OnDeleted(T obj, bool finalStateUnknown) => Changes.Enqueue($"deleted {obj.Metadata.Name}{(finalStateUnknown ? " unknown" : string.Empty)}");
}
