namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>One item of an informer's dispatch queue.</summary>
internal sealed record Notification<T>(NotificationKind Kind, T? Object = null, T? OldObject = null, bool Flag = false, ResourceEventHandler<T>? Handler = null)
    where T : class
{
    public static Notification<T> Added(T obj, bool isInInitialList) => new(NotificationKind.Added, obj, Flag: isInInitialList);

    public static Notification<T> Updated(T oldObj, T newObj) => new(NotificationKind.Updated, newObj, oldObj);

    public static Notification<T> Deleted(T obj, bool finalStateUnknown) => new(NotificationKind.Deleted, obj, Flag: finalStateUnknown);
}
