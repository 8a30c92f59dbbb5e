namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>
/// A token bucket per object: each starts full with <c>burst</c> tokens and regains one per refill interval. Keeps at
/// most a bounded number of buckets; a forgotten bucket starts full again, which only errs towards sending.
/// Used from the recorder's single writer loop only.
/// </summary>
internal sealed class ObjectTokenBuckets(int burst, TimeSpan refillInterval, int maxBuckets, TimeProvider time)
{
    private readonly Dictionary<string, (double Tokens, long Stamp)> _buckets = new(StringComparer.Ordinal);

    public int Count => _buckets.Count;

    public bool TryTake(string key)
    {
        var now = time.GetTimestamp();
        var (tokens, stamp) = _buckets.TryGetValue(key, out var bucket) ? bucket : (burst, now);
        tokens = Math.Min(burst, tokens + (time.GetElapsedTime(stamp, now) / refillInterval));
        var allowed = tokens >= 1;
        if (allowed)
        {
            tokens -= 1;
        }

        _buckets[key] = (tokens, now);
        if (_buckets.Count > maxBuckets)
        {
            Evict(now);
        }

        return allowed;
    }

    private void Evict(long now)
    {
        // Buckets that have refilled completely hold no information: drop those first, then the least recently used.
        var fullAfter = refillInterval * burst;
        foreach (var key in _buckets.Where(pair => time.GetElapsedTime(pair.Value.Stamp, now) >= fullAfter).Select(pair => pair.Key).ToList())
        {
            _buckets.Remove(key);
        }

        if (_buckets.Count > maxBuckets)
        {
            foreach (var key in _buckets.OrderBy(pair => pair.Value.Stamp).Take(_buckets.Count - maxBuckets).Select(pair => pair.Key).ToList())
            {
                _buckets.Remove(key);
            }
        }
    }
}
