using ConsoleProxy.Authorization;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Configuration;

/// <summary>
/// Everything `consoleproxy serve` runs with, validated once before the host starts
/// (<see cref="ProxyOptionsValidator"/>). Immutable so every component sees the same settings.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>Address to listen on (nova: 0.0.0.0).</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>TCP port (nova: 6080). 0 asks the kernel for a free port (tests).</summary>
    public int Port { get; init; } = 6080;

    /// <summary>Redis HOST:PORT holding the token index.</summary>
    public required string RedisAddress { get; init; }

    public string? RedisPassword { get; init; }

    public bool RedisTls { get; init; }

    public string KeyPrefix { get; init; } = "consoleproxy:";

    /// <summary>Redis 6+ ACL user for <see cref="RedisPassword"/>; null for the default user.</summary>
    public string? RedisUser { get; init; }

    /// <summary>Sentinels as HOST:PORT,HOST:PORT; when set, the primary is found through them and <see cref="RedisAddress"/> is unused.</summary>
    public string? RedisSentinel { get; init; }

    /// <summary>The master name the sentinels monitor; required with <see cref="RedisSentinel"/>.</summary>
    public string? RedisMasterName { get; init; }

    /// <summary>PEM file of the private CA Redis's certificate must chain to (implies TLS).</summary>
    public string? RedisCaFile { get; init; }

    /// <summary>PEM client certificate for Redis servers that ask for one (implies TLS).</summary>
    public string? RedisClientCertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="RedisClientCertificateFile"/>.</summary>
    public string? RedisClientKeyFile { get; init; }

    /// <summary>The token store part of these options (validated first by <see cref="ProxyOptionsValidator"/>).</summary>
    public TokenStoreOptions ToTokenStoreOptions() => new(RedisAddress, RedisPassword, RedisTls, KeyPrefix)
    {
        User = RedisUser,
        Sentinel = RedisSentinel is null ? null : new SentinelOptions(SentinelOptions.ParseAddresses(RedisSentinel, out _) ?? [], RedisMasterName ?? string.Empty),
        CaFile = RedisCaFile,
        ClientCertificateFile = RedisClientCertificateFile,
        ClientKeyFile = RedisClientKeyFile,
    };

    /// <summary>Folder with the noVNC web client (vnc.html, vnc_lite.html, app/, core/, ...).</summary>
    public required string WebRoot { get; init; }

    /// <summary>Origins accepted besides the request's own Host: full origins or bare host names.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Compare the Origin's port with the request's too (nova and the default ignore ports).</summary>
    public bool StrictOrigin { get; init; }

    /// <summary>Origins that may frame the console pages besides the proxy's own (default: none).</summary>
    public IReadOnlyList<string> FrameAncestors { get; init; } = [];

    /// <summary>PEM certificate (chain) file; with <see cref="KeyPath"/> the port serves TLS.</summary>
    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    /// <summary>Refuse requests that did not arrive over TLS (directly or per X-Forwarded-Proto).</summary>
    public bool SslOnly { get; init; }

    /// <summary>Close a session with no traffic either way for this long (4003); null = never.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Close a session this long after it connected (4004); null = never.</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Close sessions at their token's expiry (4002); nova's enforce_session_timeout.</summary>
    public bool EnforceExpiry { get; init; }

    /// <summary>Live sessions per process; 0 = unlimited.</summary>
    public int MaxSessions { get; init; }

    /// <summary>The ConsoleProxy this process serves, as the label of the per-ConsoleProxy metrics; empty when run without one.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>This process's name in the published session list; the pod name under the operator.</summary>
    public string InstanceName { get; init; } = Environment.MachineName;

    /// <summary>Live sessions one target (host:port) admits across the fleet; 0 = unlimited.</summary>
    public int MaxSessionsPerTarget { get; init; }

    /// <summary>`reject` or `takeover`: what a session over a limit does (see <see cref="Sessions.SessionLimitAction"/>).</summary>
    public string OnSessionLimit { get; init; } = "reject";

    /// <summary>Server WebSocket pings; a peer that does not answer within one interval is closed. Zero = no pings.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>On shutdown, how long live sessions may continue before they are closed with 1001.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Where sessions may connect to; the raw `--allowed-target` values. Empty = unrestricted.</summary>
    public IReadOnlyList<string> AllowedTargets { get; init; } = [];

    /// <summary>`--kinds` as given: the console kinds served (comma-separated and/or repeated); default VNC only.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [ConsoleKindNames.Vnc];

    /// <summary>
    /// Where serial sessions may connect to (`--serial-allowed-target`, the same syntax as <see cref="AllowedTargets"/>):
    /// serial ports are not VNC ports, so a serial token never passes the VNC list and the reverse. Empty = unrestricted,
    /// allowed only when <see cref="AllowedTargets"/> is empty too (a lab); otherwise a serial proxy must name its own.
    /// </summary>
    public IReadOnlyList<string> SerialAllowedTargets { get; init; } = [];

    /// <summary>
    /// Where SPICE sessions may connect to (`--spice-allowed-target`, the same syntax and rules as
    /// <see cref="SerialAllowedTargets"/>): SPICE ports are neither VNC nor serial ports.
    /// </summary>
    public IReadOnlyList<string> SpiceAllowedTargets { get; init; } = [];

    /// <summary>Accept allowed targets wider than /8 (IPv4) or /32 (IPv6); otherwise they are refused at start.</summary>
    public bool AllowWideTargetNetworks { get; init; }

    /// <summary>How often live sessions' tokens are looked up again, for revocations the subscription missed; zero: only after it reconnects.</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>`--target-auth-schemes` as given: how the proxy authenticates to VNC servers itself (empty: pass-through).</summary>
    public IReadOnlyList<string> TargetAuthSchemes { get; init; } = [];

    /// <summary>RFB inside TLS from the first byte (`--target-tls`, websockify's `--ssl-target`).</summary>
    public bool TargetTls { get; init; }

    /// <summary>PEM CA bundle VNC servers' certificates must chain to (`--target-ca`).</summary>
    public string? TargetCaFile { get; init; }

    /// <summary>PEM client certificate for VNC servers (`--target-cert`, with `--target-key`).</summary>
    public string? TargetCertificateFile { get; init; }

    public string? TargetKeyFile { get; init; }

    /// <summary>The keyring that opens tokens' sealed VNC passwords (`--vnc-password-key`).</summary>
    public string? VncPasswordKeyFile { get; init; }

    /// <summary>The target options as the security proxy takes them (call after validation).</summary>
    public TargetSecurity.TargetSecurityOptions ToTargetSecurityOptions()
    {
        if (!TargetSecurity.TargetSecurityOptions.TryParseSchemes(TargetAuthSchemes, out var schemes, out var error))
        {
            throw new ArgumentException($"--target-auth-schemes: {error}");
        }

        return new TargetSecurity.TargetSecurityOptions
        {
            AuthSchemes = schemes,
            Tls = TargetTls,
            CaFile = TargetCaFile,
            CertificateFile = TargetCertificateFile,
            KeyFile = TargetKeyFile,
            VncPasswordKeyFile = VncPasswordKeyFile,
        };
    }

    /// <summary>How long dialing the VNC server may take (not an option: a sane constant, tests shorten it).</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a client may take to send its request headers (not an option: Kestrel's 30 s
    /// default lets slowloris clients hold connections longer than any real browser needs).
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The noVNC folder shipped next to the executable by the build.</summary>
    public static string BundledWebRoot => Path.Combine(AppContext.BaseDirectory, "novnc");

    /// <summary>The parsed <see cref="AllowedTargets"/>; throws <see cref="FormatException"/> for a bad entry.</summary>
    public TargetPolicy ParseTargetPolicy() =>
        AllowedTargets.Count == 0 ? TargetPolicy.Unrestricted : TargetPolicy.Parse(AllowedTargets, AllowWideTargetNetworks);

    /// <summary>The parsed <see cref="SerialAllowedTargets"/>; throws <see cref="FormatException"/> for a bad entry.</summary>
    public TargetPolicy ParseSerialTargetPolicy() =>
        SerialAllowedTargets.Count == 0 ? TargetPolicy.Unrestricted : TargetPolicy.Parse(SerialAllowedTargets, AllowWideTargetNetworks);

    /// <summary>The parsed <see cref="SpiceAllowedTargets"/>; throws <see cref="FormatException"/> for a bad entry.</summary>
    public TargetPolicy ParseSpiceTargetPolicy() =>
        SpiceAllowedTargets.Count == 0 ? TargetPolicy.Unrestricted : TargetPolicy.Parse(SpiceAllowedTargets, AllowWideTargetNetworks);

    /// <summary>The kinds served with their allow-lists (call after validation: throws on a bad kind or target).</summary>
    public ServedKinds ParseServedKinds()
    {
        if (!ConsoleKindNames.TryParseList(Kinds, out var kinds, out var error))
        {
            throw new FormatException($"--kinds: {error}");
        }

        var policies = new Dictionary<ConsoleKind, TargetPolicy>();
        foreach (var kind in kinds)
        {
            policies[kind] = kind switch
            {
                ConsoleKind.Vnc => ParseTargetPolicy(),
                ConsoleKind.Serial => ParseSerialTargetPolicy(),
                ConsoleKind.Spice => ParseSpiceTargetPolicy(),
                _ => throw new FormatException($"--kinds: {ConsoleKindNames.NameOf(kind)} is not a console kind this proxy relays"),
            };
        }

        return new ServedKinds(policies);
    }
}
