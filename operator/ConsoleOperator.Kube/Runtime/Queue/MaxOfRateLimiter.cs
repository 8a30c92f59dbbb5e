namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>Combines limiters: a retry waits as long as the strictest of them asks.</summary>
public sealed class MaxOfRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly IRateLimiter<TKey>[] limiters;

    public MaxOfRateLimiter(params IRateLimiter<TKey>[] limiters)
    {
        if (limiters.Length == 0)
        {
            throw new ArgumentException("At least one rate limiter is needed.", nameof(limiters));
        }

        this.limiters = [.. limiters];
    }

    public TimeSpan When(TKey key)
    {
        // Ask every limiter, not just until one says "long": each must count this retry.
        var longest = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(key);
            if (delay > longest)
            {
                longest = delay;
            }
        }

        return longest;
    }

    public void Forget(TKey key)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(key);
        }
    }

    public int NumRequeues(TKey key) => limiters.Max(limiter => limiter.NumRequeues(key));
}
