namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// Per-key exponential backoff: <c>baseDelay * 2^failures</c>, capped at <c>maxDelay</c>. A key
/// that keeps failing is retried less and less often without slowing down any other key.
/// </summary>
public sealed class ExponentialFailureRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, int> failures = [];

    public ExponentialFailureRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (gate)
        {
            exponent = failures.GetValueOrDefault(key);

            // Stop counting past the point where the cap is reached anyway: no overflow, however long a key fails.
            failures[key] = exponent == int.MaxValue ? exponent : exponent + 1;
        }

        return DelayFor(exponent);
    }

    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    public int NumRequeues(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>The delay after <paramref name="failures"/> earlier failures.</summary>
    public TimeSpan DelayFor(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);

        // 2^63 ticks would overflow: any exponent that large is far beyond every sane cap.
        if (failures >= 62)
        {
            return MaxDelay;
        }

        var ticks = (double)BaseDelay.Ticks * Math.Pow(2, failures);
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
