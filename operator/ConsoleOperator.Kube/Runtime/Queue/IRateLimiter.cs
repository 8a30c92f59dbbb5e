namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>Decides how long a key waits before it is retried.</summary>
public interface IRateLimiter<in TKey>
    where TKey : notnull
{
    /// <summary>The delay before the next retry of <paramref name="key"/>; each call counts as one more retry.</summary>
    TimeSpan When(TKey key);

    /// <summary>The key succeeded: stop tracking it, so its next failure starts from the shortest delay.</summary>
    void Forget(TKey key);

    /// <summary>How many retries of the key are being tracked.</summary>
    int NumRequeues(TKey key);
}
