namespace ConsoleProxy.Tokens.Sessions;

/// <summary>
/// The Lua scripts behind <see cref="SessionDirectory"/>'s per-session writes. Every session's start and end takes one
/// of them, so each is one command (EVALSHA once the client has loaded it) where a batch was six or four: a command
/// costs the proxy a message, a task and a completion, which at thousands of session starts a second is CPU that
/// shows in new sessions/s. They write exactly the keys the batches wrote.
/// </summary>
internal static class SessionScripts
{
    /// <summary>
    /// KEYS[1] the session's JSON key, KEYS[2] the fleet index, KEYS[3] the token's index, KEYS[4] the target's index;
    /// ARGV[1] the JSON, ARGV[2] the TTL (ms), ARGV[3] the score (Unix ms it stops counting), ARGV[4] the member.
    /// </summary>
    public const string PublishStarted = """
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[3], ARGV[2])
        redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[4], ARGV[2])
        return 1
        """;

    /// <summary>KEYS as <see cref="PublishStarted"/>; ARGV[1] the member.</summary>
    public const string Remove = """
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        return 1
        """;
}
