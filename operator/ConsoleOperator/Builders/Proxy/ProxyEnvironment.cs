namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// The environment variables of `consoleproxy serve` (the proxy's CLI contract: each option `--x-y` is also
/// `CONSOLEPROXY_X_Y`). The operator configures the proxy pods through these and nothing else.
/// </summary>
public static class ProxyEnvironment
{
    public const string Prefix = "CONSOLEPROXY_";

    public const string Host = Prefix + "HOST";
    public const string Port = Prefix + "PORT";
    public const string Redis = Prefix + "REDIS";
    public const string RedisPassword = Prefix + "REDIS_PASSWORD";
    public const string RedisTls = Prefix + "REDIS_TLS";
    public const string RedisUser = Prefix + "REDIS_USER";
    public const string RedisSentinel = Prefix + "REDIS_SENTINEL";
    public const string RedisMasterName = Prefix + "REDIS_MASTER_NAME";
    public const string RedisCa = Prefix + "REDIS_CA";
    public const string RedisClientCert = Prefix + "REDIS_CLIENT_CERT";
    public const string RedisClientKey = Prefix + "REDIS_CLIENT_KEY";
    public const string KeyPrefix = Prefix + "KEY_PREFIX";
    public const string Web = Prefix + "WEB";
    public const string AllowedOrigin = Prefix + "ALLOWED_ORIGIN";
    public const string StrictOrigin = Prefix + "STRICT_ORIGIN";
    public const string FrameAncestor = Prefix + "FRAME_ANCESTOR";
    public const string Cert = Prefix + "CERT";
    public const string Key = Prefix + "KEY";
    public const string SslOnly = Prefix + "SSL_ONLY";
    public const string IdleTimeout = Prefix + "IDLE_TIMEOUT";
    public const string MaxDuration = Prefix + "MAX_DURATION";
    public const string EnforceExpiry = Prefix + "ENFORCE_EXPIRY";
    public const string MaxSessions = Prefix + "MAX_SESSIONS";
    public const string InstanceName = Prefix + "INSTANCE_NAME";
    public const string MaxSessionsPerTarget = Prefix + "MAX_SESSIONS_PER_TARGET";
    public const string OnSessionLimit = Prefix + "ON_SESSION_LIMIT";
    public const string PingInterval = Prefix + "PING_INTERVAL";
    public const string DrainTimeout = Prefix + "DRAIN_TIMEOUT";
    public const string RecheckInterval = Prefix + "RECHECK_INTERVAL";
    public const string AllowedTarget = Prefix + "ALLOWED_TARGET";
    public const string AllowWideTargetNetworks = Prefix + "ALLOW_WIDE_TARGET_NETWORKS";
    public const string Kinds = Prefix + "KINDS";
    public const string SerialAllowedTarget = Prefix + "SERIAL_ALLOWED_TARGET";
    public const string SpiceAllowedTarget = Prefix + "SPICE_ALLOWED_TARGET";
    public const string TargetAuthSchemes = Prefix + "TARGET_AUTH_SCHEMES";
    public const string TargetTls = Prefix + "TARGET_TLS";
    public const string TargetCa = Prefix + "TARGET_CA";
    public const string TargetCert = Prefix + "TARGET_CERT";
    public const string TargetKey = Prefix + "TARGET_KEY";
    public const string VncPasswordKey = Prefix + "VNC_PASSWORD_KEY";
    public const string Name = Prefix + "NAME";

    /// <summary>Every variable of the contract, in the order `consoleproxy serve --help` lists the options.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Host, Port, Redis, RedisPassword, RedisTls, RedisUser, RedisSentinel, RedisMasterName, RedisCa, RedisClientCert, RedisClientKey,
        KeyPrefix, Web, AllowedOrigin, StrictOrigin, FrameAncestor, Cert, Key, SslOnly,
        IdleTimeout, MaxDuration, EnforceExpiry, MaxSessions, InstanceName, MaxSessionsPerTarget, OnSessionLimit, PingInterval, DrainTimeout, RecheckInterval, AllowedTarget,
        Kinds, SerialAllowedTarget, SpiceAllowedTarget, AllowWideTargetNetworks, TargetAuthSchemes, TargetTls, TargetCa, TargetCert, TargetKey, VncPasswordKey, Name,
    ];

    /// <summary>
    /// Separator of a repeatable option's values in its one environment variable. Neither origins nor
    /// `CIDR[:PORT[-PORT]]` targets can contain a comma.
    /// </summary>
    public const char ListSeparator = ',';

    /// <summary>The option a variable stands for (`CONSOLEPROXY_ALLOWED_TARGET` is `--allowed-target`).</summary>
    public static string OptionFor(string variable)
    {
        if (!variable.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{variable}' is not a {Prefix}* variable", nameof(variable));
        }

        return "--" + variable[Prefix.Length..].ToLowerInvariant().Replace('_', '-');
    }
}
