namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>An <see cref="IResourceEventHandler{T}"/> made of delegates; the ones left null ignore their change.</summary>
public sealed class ResourceEventHandler<T> : IResourceEventHandler<T>
{
    public Action<T, bool>? Added { get; init; }

    public Action<T, T>? Updated { get; init; }

    public Action<T, bool>? Deleted { get; init; }

    public void OnAdded(T obj, bool isInInitialList) => Added?.Invoke(obj, isInInitialList);

    public void OnUpdated(T oldObj, T newObj) => Updated?.Invoke(oldObj, newObj);

    public void OnDeleted(T obj, bool finalStateUnknown) => Deleted?.Invoke(obj, finalStateUnknown);
}
