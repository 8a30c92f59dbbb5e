namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>What changed in an informer's cache.</summary>
internal enum NotificationKind
{
    Added,
    Updated,
    Deleted,
}

/// <summary>One change an informer delivers to its handlers; the flag is Added's isInInitialList or Deleted's finalStateUnknown.</summary>
internal sealed record Notification<T>(NotificationKind Kind, T Object, T? OldObject = null, bool Flag = false)
    where T : class
{
    public static Notification<T> Added(T obj, bool isInInitialList) => new(NotificationKind.Added, obj, Flag: isInInitialList);

    public static Notification<T> Updated(T oldObj, T newObj) => new(NotificationKind.Updated, newObj, oldObj);

    public static Notification<T> Deleted(T obj, bool finalStateUnknown) => new(NotificationKind.Deleted, obj, Flag: finalStateUnknown);
}
