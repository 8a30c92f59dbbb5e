using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>
/// What a DELETE returned: a Success <see cref="Status"/> when the object is gone, or the object itself (with a
/// deletionTimestamp) when finalizers keep it (custom ones, foregroundDeletion, orphan).
/// </summary>
public sealed record DeleteResult<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Exactly one of the two is set.</summary>
    public DeleteResult(V1Status? status, T? @object)
    {
        if ((status is null) == (@object is null))
        {
            throw new ArgumentException("a delete result is either a Status or the object");
        }

        Status = status;
        Object = @object;
    }

    public V1Status? Status { get; }

    public T? Object { get; }

    /// <summary>The object was removed at once.</summary>
    [MemberNotNullWhen(true, nameof(Status))]
    [MemberNotNullWhen(false, nameof(Object))]
    public bool IsDeleted => Status is not null;
}
