using ConsoleOperator.Kube.Client.Errors;

namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>Tells an optimistic-concurrency conflict (someone wrote first; retry with fresh state) from a failure.</summary>
public static class ConflictErrors
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
}
