namespace ConsoleOperator.Builders.TokenStore;

/// <summary>Fixed facts of the managed Redis pod.</summary>
public static class RedisPod
{
    public const string ContainerName = "redis";

    /// <summary>The "redis" user of the official images (Alpine and Debian alike).</summary>
    public const long UserId = 999;

    public const string PasswordVariable = "REDIS_PASSWORD";

    /// <summary>redis-cli reads its password from here, so the probe's command line carries none.</summary>
    public const string CliPasswordVariable = "REDISCLI_AUTH";

    public const string DataVolumeName = "data";

    public const string DataPath = "/data";

    /// <summary>
    /// Starts Redis with its configuration on standard input (`redis-server -`), so the password never appears in
    /// a command line (visible in `ps` and the pod spec). `exec` makes Redis PID 1, so it receives SIGTERM itself.
    /// No persistence: after a restart the operator rebuilds the index from the ConsoleToken objects.
    /// Needs Redis 7 or later (the optional-address form of <c>bind</c>, so pods without IPv6 still start) and a
    /// POSIX shell in the image, as the official images have.
    /// </summary>
    public const string StartScript =
        "exec redis-server - <<EOF\n" +
        "requirepass ${" + PasswordVariable + "}\n" +
        "port 6379\n" +
        "bind * -::*\n" +
        "dir " + DataPath + "\n" +
        "save \"\"\n" +
        "appendonly no\n" +
        "maxmemory-policy noeviction\n" +
        "EOF\n";

    public const string ReadinessScript = "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG";
}
