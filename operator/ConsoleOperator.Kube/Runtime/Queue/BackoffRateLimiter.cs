namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// The retry policy of a work queue, client-go's DefaultControllerRateLimiter as one type: per-key exponential backoff (<c>baseDelay * 2^failures</c>,
/// capped at <c>maxDelay</c>), so a key that keeps failing is retried less and less often without slowing any other
/// key; and, unless <c>tokensPerSecond</c> is null, a global token bucket (a burst, then a steady rate) bounding the
/// load retries put on the API server when many keys fail together. A retry waits as long as the stricter of the two
/// asks; each call counts in both.
/// </summary>
public sealed class BackoffRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly double? _tokensPerSecond;
    private readonly int _burst;
    private double _tokens;
    private long _lastRefill;

    /// <summary>What controllers use unless told otherwise: per-key 5 ms to 1000 s, and at most 10 retries per second overall (burst 100).</summary>
    public BackoffRateLimiter(TimeProvider timeProvider)
        : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), tokensPerSecond: 10, burst: 100, timeProvider)
    {
    }

    /// <param name="tokensPerSecond">The global rate (after <paramref name="burst"/> at once); null for no global bucket.</param>
    public BackoffRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay, double? tokensPerSecond, int burst, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        if (tokensPerSecond is { } rate && !(rate > 0 && double.IsFinite(rate)))
        {
            throw new ArgumentOutOfRangeException(nameof(tokensPerSecond), tokensPerSecond, "The rate must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _tokensPerSecond = tokensPerSecond;
        _burst = burst;
        _time = timeProvider;
        _tokens = burst;
        _lastRefill = _time.GetTimestamp();
    }

    /// <summary>The delay before the next retry of <paramref name="key"/>; each call counts as one more retry.</summary>
    public TimeSpan When(TKey key)
    {
        lock (_gate)
        {
            var exponent = _failures.GetValueOrDefault(key);

            // Stop counting past the point where the cap is reached anyway: no overflow, however long a key fails.
            _failures[key] = exponent == int.MaxValue ? exponent : exponent + 1;
            var backoff = DelayFor(exponent);
            return _tokensPerSecond is { } rate && ReserveToken(rate) is var wait && wait > backoff ? wait : backoff;
        }
    }

    /// <summary>The key succeeded: its next failure starts from the base delay (the global bucket has nothing per key).</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>How many retries of the key are being tracked.</summary>
    public int NumRequeues(TKey key)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>The backoff after <paramref name="failures"/> earlier failures.</summary>
    public TimeSpan DelayFor(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);

        // Compared as a double, a huge exponent cannot overflow: it is only larger than any cap (up to infinity).
        var ticks = _baseDelay.Ticks * Math.Pow(2, failures);
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Takes a token, possibly one in the future (going negative is the reservation), and answers the wait for it.</summary>
    private TimeSpan ReserveToken(double rate)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * rate));
        _lastRefill = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / rate);
    }
}
