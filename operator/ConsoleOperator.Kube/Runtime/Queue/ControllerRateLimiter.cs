namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>The retry policy controllers use unless told otherwise (client-go's DefaultControllerRateLimiter).</summary>
public static class ControllerRateLimiter
{
    public const double TokensPerSecond = 10;
    public const int Burst = 100;
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1000);

    /// <summary>Per-key exponential backoff from 5 ms to 1000 s, and at most 10 retries per second overall (burst 100).</summary>
    public static BackoffRateLimiter<TKey> Default<TKey>(TimeProvider timeProvider)
        where TKey : notnull =>
        new BackoffRateLimiter<TKey>(BaseDelay, MaxDelay, TokensPerSecond, Burst, timeProvider);
}
