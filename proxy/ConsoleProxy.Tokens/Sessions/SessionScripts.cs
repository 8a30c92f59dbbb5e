namespace ConsoleProxy.Tokens.Sessions;

/// <summary>
/// The Lua scripts behind <see cref="SessionDirectory"/>'s writes. Every session's start and end takes one
/// of them, and a refresh one per chunk of sessions, so each is one command (EVALSHA once the client has loaded it) where a batch was six or four: a command
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

    /// <summary>
    /// A refresh of many sessions in one command (<see cref="SessionDirectory"/> sends a proxy's sessions in chunks of
    /// <see cref="RefreshChunk"/>): per session what <see cref="PublishStarted"/> writes, and each token and target index
    /// it touches pruned of the members whose score has passed, once per command. Was eight commands (and eight tasks) a
    /// session, every refresh: the CPU an idle proxy spent. KEYS[1] the fleet index, then per session its JSON key, its
    /// token's index and its target's index; ARGV[1] the TTL (ms), ARGV[2] the score (Unix ms it stops counting),
    /// ARGV[3] now (Unix ms: members scored at or before it are pruned), then per session its JSON and its member.
    /// </summary>
    public const string Refresh = """
        local ttl, score, now = ARGV[1], ARGV[2], ARGV[3]
        local pruned = {}
        for i = 0, (#KEYS - 1) / 3 - 1 do
          local key, arg = 2 + i * 3, 4 + i * 2
          local member = ARGV[arg + 1]
          redis.call('SET', KEYS[key], ARGV[arg], 'PX', ttl)
          redis.call('ZADD', KEYS[1], score, member)
          for j = 1, 2 do
            local index = KEYS[key + j]
            redis.call('ZADD', index, score, member)
            if not pruned[index] then
              redis.call('ZREMRANGEBYSCORE', index, '-inf', now)
              redis.call('PEXPIRE', index, ttl)
              pruned[index] = true
            end
          end
        end
        return 1
        """;

    /// <summary>
    /// Sessions per <see cref="Refresh"/> command: Redis runs a script alone, so a chunk bounds how long one holds it up
    /// (about 0.2 ms for 128 sessions here) while a proxy's thousands still go out in a few dozen commands.
    /// </summary>
    public const int RefreshChunk = 128;

    /// <summary>KEYS as <see cref="PublishStarted"/>; ARGV[1] the member.</summary>
    public const string Remove = """
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        return 1
        """;
}
