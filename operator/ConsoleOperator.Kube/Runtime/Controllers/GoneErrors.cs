using ConsoleOperator.Kube.Client.Errors;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Tells "the object being reconciled was deleted under us" (a 404 on it: nothing left to do, and a retry would only
/// 404 again) from a failure. A 404 about some other object (a missing dependency) stays a failure unless the
/// primary itself is gone from the cache too.
/// </summary>
public static class GoneErrors
{
    /// <summary>
    /// A 404 NotFound in the exception chain that names <paramref name="key"/>'s object, or any 404 while the primary
    /// is no longer cached (its deletion already arrived).
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
