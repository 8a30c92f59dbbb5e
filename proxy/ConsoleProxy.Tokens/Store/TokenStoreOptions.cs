namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Where the token store lives and how to reach it: the `--redis`, `--redis-password`, `--redis-tls`
/// and `--key-prefix` options of the proxy and the CLI, and the Redis part of a ConsoleProxy spec.
/// </summary>
/// <param name="Address">HOST:PORT; IPv6 in brackets (`[2001:db8::7]:6379`).</param>
/// <param name="Password">The Redis AUTH password; null when the server needs none.</param>
/// <param name="Tls">Connect over TLS, verifying the server certificate against the host name.</param>
/// <param name="KeyPrefix">Namespace of every key and channel, so several proxies can share one Redis.</param>
public sealed record TokenStoreOptions(
    string Address,
    string? Password = null,
    bool Tls = false,
    string KeyPrefix = TokenStoreOptions.DefaultKeyPrefix)
{
    public const string DefaultKeyPrefix = "consoleproxy:";

    /// <summary>How long one connection attempt may take before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one command may wait for its answer. StackExchange.Redis 1.2.6 has no timeout of its
    /// own for asynchronous commands, so a server that accepts but never answers would otherwise hang
    /// a WebSocket upgrade forever.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Hides the password: options end up in startup logs and exception messages.
    /// </summary>
    public override string ToString() =>
        $"{Address} (tls: {(Tls ? "on" : "off")}, password: {(Password is null ? "none" : "set")}, key prefix: '{KeyPrefix}')";
}
