namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The Lua scripts behind <see cref="RedisTokenStore"/>. Each runs atomically inside Redis, which is
/// what makes "read and consume a single-use token" have exactly one winner across every proxy pod,
/// and "write the hash and its expiry" never leave a hash that lives forever.
/// </summary>
internal static class TokenScripts
{
    /// <summary>What <see cref="Read"/> answers, as a one-element list, when there is no hash.</summary>
    public const string MissUnknown = "unknown";

    /// <inheritdoc cref="MissUnknown"/>
    public const string MissConsumed = "consumed";

    /// <inheritdoc cref="MissUnknown"/>
    public const string MissRevoked = "revoked";

    /// <summary>
    /// The latest expires_at <see cref="TokenKeySchema.TryReadFields"/> accepts (DateTimeOffset.MaxValue
    /// in Unix ms). A constant string because only constant strings can go into a constant script.
    /// </summary>
    public const string MaxExpiresAt = "253402300799999";

    /// <summary>
    /// KEYS[1] token key, KEYS[2] its consumed marker, KEYS[3] its revoked marker; ARGV[1] expires_at
    /// (Unix ms); ARGV[2..] field, value, field, value...
    /// Replaces any earlier record whole, so no field of an older write survives, and drops both
    /// markers: a record written again (the operator rewriting it, a re-mint) is live, and once it is
    /// gone again a marker left from its previous life would name the wrong reason.
    /// </summary>
    public const string Store = """
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        redis.call('PEXPIREAT', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS[1] token key, KEYS[2] its consumed marker, KEYS[3] its revoked marker; ARGV[1] now (Unix
    /// ms, the reader's clock); ARGV[2] the schema version the reader understands; ARGV[3] "1" to
    /// consume a single-use token, "0" to only look.
    /// Returns the HGETALL list (never of odd length), or, when there is no hash, a one-element list
    /// naming why: revoked, consumed (revoked wins when both markers exist), or unknown.
    /// The markers are looked at only on a miss, so a hit costs nothing more.
    /// Consumes only a record the reader can use (known version, expires_at digits only, within the
    /// reader's range and not past): an older proxy must not burn a token it then refuses, and the
    /// marker's PEXPIREAT must not fail after the DEL (a failing script is not rolled back; the
    /// instant is passed re-printed, since Redis refuses the leading zeros the reader accepts).
    /// A consumed record leaves a marker that expires with it, so a second redeem can say "already used".
    /// </summary>
    public const string Read = $$"""
        if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then
          if redis.call('EXISTS', KEYS[3]) == 1 then
            return {'{{MissRevoked}}'}
          elseif redis.call('EXISTS', KEYS[2]) == 1 then
            return {'{{MissConsumed}}'}
          end
          return {'{{MissUnknown}}'}
        end
        local fields = redis.call('HGETALL', KEYS[1])
        local version, expiresAt, singleUse
        for i = 1, #fields, 2 do
          local name = fields[i]
          if name == '{{TokenRecordFields.Version}}' then
            version = fields[i + 1]
          elseif name == '{{TokenRecordFields.ExpiresAt}}' then
            expiresAt = fields[i + 1]
          elseif name == '{{TokenRecordFields.SingleUse}}' then
            singleUse = fields[i + 1]
          end
        end
        local expiresAtMs = expiresAt and string.match(expiresAt, '^%d+$') and tonumber(expiresAt)
        if ARGV[3] == '1' and singleUse == '1' and version == ARGV[2] and expiresAtMs
           and expiresAtMs <= {{MaxExpiresAt}} and expiresAtMs > tonumber(ARGV[1]) then
          redis.call('DEL', KEYS[1])
          redis.call('SET', KEYS[2], '1')
          redis.call('PEXPIREAT', KEYS[2], string.format('%.0f', expiresAtMs))
        end
        return fields
        """;

    /// <summary>
    /// KEYS[1] token key, KEYS[2] its revoked marker; ARGV[1] revocation channel; ARGV[2] hex hash.
    /// Deletes, then tells every proxy, in one step: a proxy that hears the message can no longer
    /// redeem the token. A deleted record that had an expiry leaves a revoked marker living as long
    /// as the record would have; nothing deleted (already gone, consumed, never there) leaves none,
    /// so an earlier marker (consumed, say) keeps telling the truth.
    /// Returns the number of keys deleted (0 or 1).
    /// </summary>
    public const string Revoke = """
        local ttl = redis.call('PTTL', KEYS[1])
        local deleted = redis.call('DEL', KEYS[1])
        if deleted == 1 and ttl > 0 then
          redis.call('SET', KEYS[2], '1', 'PX', ttl)
        end
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return deleted
        """;
}
