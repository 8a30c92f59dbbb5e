namespace TestKit.FakeApiServer;

/// <summary>A watch asked for a resourceVersion older than the oldest one the store still has events for.</summary>
public sealed class WatchTooOldException(long requested, long oldestAvailableMinusOne)
    : Exception($"too old resource version: {requested} ({oldestAvailableMinusOne})")
{
    public long Requested { get; } = requested;

    /// <summary>The number kube-apiserver prints in parentheses: the oldest servable revision minus one.</summary>
    public long OldestAvailableMinusOne { get; } = oldestAvailableMinusOne;
}
