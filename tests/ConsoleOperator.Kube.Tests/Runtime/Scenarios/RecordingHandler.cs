using System.Collections.Concurrent;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Records every change an informer delivers to <see cref="Handler"/>, as text lines like <c>added w1 initial</c>.</summary>
public sealed class RecordingHandler<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public RecordingHandler()
    {
        Handler = new ResourceEventHandler<T>
        {
            Added = (obj, isInInitialList) => Changes.Enqueue($"added {obj.Metadata.Name}{(isInInitialList ? " initial" : string.Empty)}"),
            Updated = (oldObj, newObj) => Changes.Enqueue(
                oldObj.Metadata.ResourceVersion == newObj.Metadata.ResourceVersion ? $"resynced {newObj.Metadata.Name}" : $"updated {newObj.Metadata.Name}"),
            Deleted = (obj, finalStateUnknown) => Changes.Enqueue($"deleted {obj.Metadata.Name}{(finalStateUnknown ? " unknown" : string.Empty)}"),
        };
    }

    public ResourceEventHandler<T> Handler { get; }

    public ConcurrentQueue<string> Changes { get; } = new();

    public bool Saw(string change) => Changes.Contains(change);
}
