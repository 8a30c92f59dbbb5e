using StackExchange.Redis;

namespace ConsoleProxy.Hosting;

/// <summary>
/// Gives the Redis client a reader and a writer thread of its own per connection (StackExchange.Redis 3's
/// <c>DedicatedThreads</c> feature flag, process-wide, read when a connection opens) instead of serving its sockets
/// from the thread pool. A session's start waits on one Redis reply; by default the reply is read by a thread-pool
/// item and the command is written out by another, two hops through the pool's queue and a woken worker for each
/// session, where the 1.2.6 client had its own socket-manager thread. The cost is two threads per connection (the
/// proxy keeps one connection for commands and one for pub/sub).
/// </summary>
public static class RedisClientThreads
{
    public const string FeatureFlag = "DedicatedThreads";

    /// <summary>Whether connections opened from now on get their own threads.</summary>
    public static bool Enabled => ConnectionMultiplexer.GetFeatureFlag(FeatureFlag);

    public static void Enable() => ConnectionMultiplexer.SetFeatureFlag(FeatureFlag, true);
}
