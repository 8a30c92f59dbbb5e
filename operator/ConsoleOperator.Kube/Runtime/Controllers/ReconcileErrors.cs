using ConsoleOperator.Kube.Client.Errors;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Tells the failures a controller treats apart from a real one: an optimistic-concurrency conflict (someone wrote
/// first; retry quietly with fresh state) and "the object being reconciled was deleted under us" (a 404 on it: nothing
/// left to do, and a retry would only 404 again).
/// </summary>
public static class ReconcileErrors
{
    /// <summary>A 409 Conflict anywhere in the exception chain (an aggregate only when all its parts are conflicts).</summary>
    public static bool IsConflict(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is KubernetesApiException { IsConflict: true })
            {
                return true;
            }

            // An aggregate is a conflict only when every part is: one real failure among conflicts is a failure.
            if (current is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConflict);
            }
        }

        return false;
    }

    /// <summary>
    /// A 404 NotFound in the exception chain that names <paramref name="key"/>'s object, or any 404 while the primary
    /// is no longer cached (its deletion already arrived). A 404 about some other object (a missing dependency) stays a
    /// failure while the primary is cached.
    /// </summary>
    public static bool IsPrimaryGone(Exception exception, ObjectKey key, bool primaryCached)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is KubernetesApiException { IsNotFound: true } notFound)
            {
                return !primaryCached || string.Equals(notFound.Status.Details?.Name, key.Name, StringComparison.Ordinal);
            }
        }

        return false;
    }
}
