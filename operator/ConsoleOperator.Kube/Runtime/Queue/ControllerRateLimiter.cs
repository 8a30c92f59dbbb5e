namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>The retry policy controllers use unless told otherwise (client-go's DefaultControllerRateLimiter).</summary>
public static class ControllerRateLimiter
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1000);
    public const double TokensPerSecond = 10;
    public const int Burst = 100;

    /// <summary>Per-key exponential backoff from 5 ms to 1000 s, and at most 10 retries per second overall (burst 100).</summary>
    public static IRateLimiter<TKey> Default<TKey>(TimeProvider timeProvider)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ExponentialFailureRateLimiter<TKey>(BaseDelay, MaxDelay),
            new TokenBucketRateLimiter<TKey>(TokensPerSecond, Burst, timeProvider));
}
