namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The Lua scripts behind <see cref="RedisTokenStore"/>. Each runs atomically inside Redis, which is
/// what makes "read and consume a single-use token" have exactly one winner across every proxy pod,
/// and "write the hash and its expiry" never leave a hash that lives forever.
/// </summary>
internal static class TokenScripts
{
    /// <summary>
    /// KEYS[1] token key; ARGV[1] expires_at (Unix ms); ARGV[2..] field, value, field, value...
    /// Replaces any earlier record whole, so no field of an older write survives.
    /// </summary>
    public const string Store = """
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        redis.call('PEXPIREAT', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS[1] token key; ARGV[1] now (Unix ms, the reader's clock); ARGV[2] the schema version the
    /// reader understands; ARGV[3] "1" to consume a single-use token, "0" to only look.
    /// Returns the HGETALL list, or nil when there is no hash. Consumes only a record the reader can
    /// use (known version, not expired): an older proxy must not burn a token it then refuses.
    /// </summary>
    public const string Read = $$"""
        if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then
          return false
        end
        local fields = redis.call('HGETALL', KEYS[1])
        local version, expiresAt, singleUse
        for i = 1, #fields, 2 do
          local name = fields[i]
          if name == '{{TokenRecordFields.Version}}' then
            version = fields[i + 1]
          elseif name == '{{TokenRecordFields.ExpiresAt}}' then
            expiresAt = tonumber(fields[i + 1])
          elseif name == '{{TokenRecordFields.SingleUse}}' then
            singleUse = fields[i + 1]
          end
        end
        if ARGV[3] == '1' and singleUse == '1' and version == ARGV[2]
           and expiresAt ~= nil and expiresAt > tonumber(ARGV[1]) then
          redis.call('DEL', KEYS[1])
        end
        return fields
        """;

    /// <summary>
    /// KEYS[1] token key; ARGV[1] revocation channel; ARGV[2] hex hash. Deletes, then tells every
    /// proxy, in one step: a proxy that hears the message can no longer redeem the token.
    /// Returns the number of keys deleted (0 or 1).
    /// </summary>
    public const string Revoke = """
        local deleted = redis.call('DEL', KEYS[1])
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return deleted
        """;
}
