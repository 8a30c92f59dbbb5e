namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// A global token bucket over all keys: up to <c>burst</c> retries at once, then <c>qps</c> per
/// second. It bounds the load retries put on the API server when many keys fail together. Each
/// call reserves a token (possibly one in the future) and answers the wait until it is available.
/// </summary>
public sealed class TokenBucketRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly TimeProvider timeProvider;
    private double tokens;
    private long lastRefill;

    public TokenBucketRateLimiter(double tokensPerSecond, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokensPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        if (!double.IsFinite(tokensPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(tokensPerSecond), tokensPerSecond, "The rate must be finite.");
        }

        TokensPerSecond = tokensPerSecond;
        Burst = burst;
        this.timeProvider = timeProvider;
        tokens = burst;
        lastRefill = timeProvider.GetTimestamp();
    }

    public double TokensPerSecond { get; }

    public int Burst { get; }

    public TimeSpan When(TKey key)
    {
        lock (gate)
        {
            var now = timeProvider.GetTimestamp();
            var elapsed = timeProvider.GetElapsedTime(lastRefill, now);
            lastRefill = now;
            tokens = Math.Min(Burst, tokens + (elapsed.TotalSeconds * TokensPerSecond));

            // Going negative is the reservation: later callers queue up behind this one.
            tokens -= 1;
            return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / TokensPerSecond);
        }
    }

    /// <summary>The bucket is shared by all keys: nothing per key to forget.</summary>
    public void Forget(TKey key)
    {
    }

    public int NumRequeues(TKey key) => 0;
}
