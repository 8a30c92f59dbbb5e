namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Where the token store lives and how to reach it: the `--redis*` and `--key-prefix` options of the
/// proxy and the CLI, and the Redis part of a ConsoleProxy spec.
/// </summary>
/// <param name="Address">HOST:PORT of a single Redis; IPv6 in brackets (`[2001:db8::7]:6379`). Unused (may be empty) when <see cref="Sentinel"/> is set.</param>
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

    /// <summary>The Redis 6+ ACL user the password belongs to; null for the default user (plain AUTH password).</summary>
    public string? User { get; init; }

    /// <summary>Find the primary through these sentinels instead of connecting to <see cref="Address"/>.</summary>
    public SentinelOptions? Sentinel { get; init; }

    /// <summary>PEM file of the private CA the server's certificate must chain to (implies TLS); null trusts the system's CAs.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate offered when the server asks for one (with <see cref="ClientKeyFile"/>; implies TLS).</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>
    /// The CA and client certificate as PEM text instead of files: what the operator reads from the Secrets a
    /// ConsoleProxy names (it has no files of them). Either these or the files, not both.
    /// </summary>
    public TokenStoreTlsMaterial? TlsMaterial { get; init; }

    /// <summary>Whether the connection is TLS: asked for, or implied by a CA or a client certificate.</summary>
    public bool UsesTls => Tls || CaFile is not null || ClientCertificateFile is not null || TlsMaterial is not null;

    /// <summary>Whether a client certificate is offered (from a file or from <see cref="TlsMaterial"/>).</summary>
    public bool HasClientCertificate => ClientCertificateFile is not null || TlsMaterial?.ClientCertificatePem is not null;

    /// <summary>
    /// Whether <see cref="RedisTokenStore.ConnectAsync"/> throws <see cref="TokenStoreRefusedException"/>
    /// when Redis refuses the options on the first attempt (a process at start-up: yes); false keeps
    /// the store and lets its calls fail as unavailable until the options or Redis change.
    /// </summary>
    public bool RefuseAtStart { get; init; } = true;

    /// <summary>How long one connection attempt may take before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one command may wait for its answer, so a server that accepts but never answers cannot hang a WebSocket upgrade.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where this store is, for messages: the address, or the sentinels and master name.</summary>
    public string Location => Sentinel is { } sentinel ? sentinel.ToString() : Address;

    /// <summary>
    /// Hides the password: options end up in startup logs and exception messages.
    /// </summary>
    public override string ToString() =>
        $"{Location} (tls: {(UsesTls ? "on" : "off")}{(CaFile is not null ? $", ca: {CaFile}" : TlsMaterial?.CaPem is not null ? $", ca: {TlsMaterial.Source}" : string.Empty)}, user: {User ?? "default"}, password: {(Password is null ? "none" : "set")}, key prefix: '{KeyPrefix}')";
}
