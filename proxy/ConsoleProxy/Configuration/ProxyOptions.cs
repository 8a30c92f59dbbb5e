using ConsoleProxy.Authorization;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Settings;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Configuration;

/// <summary>
/// Everything `consoleproxy serve` runs with, validated once before the host starts
/// (<see cref="ProxyOptionsValidator"/>). Immutable so every component sees the same settings. The settings'
/// defaults are the contract's (<see cref="ProxySettingsContract"/>); this record only names them for the proxy.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>The proxy's options from the contract's settings (what `serve` read); unset settings are their defaults.</summary>
    public static ProxyOptions FromSettings(ProxySettings settings)
    {
        return new ProxyOptions
        {
            Host = Value(settings, ProxySettingsContract.Host),
            Port = settings.Get(ProxySettingsContract.Port),
            RedisAddress = settings.Get(ProxySettingsContract.Redis) ?? string.Empty,
            RedisPassword = Optional(settings, ProxySettingsContract.RedisPassword),
            RedisTls = settings.Get(ProxySettingsContract.RedisTls),
            KeyPrefix = Value(settings, ProxySettingsContract.KeyPrefix),
            RedisUser = Optional(settings, ProxySettingsContract.RedisUser),
            RedisSentinel = Optional(settings, ProxySettingsContract.RedisSentinel),
            RedisMasterName = Optional(settings, ProxySettingsContract.RedisMasterName),
            RedisCaFile = Optional(settings, ProxySettingsContract.RedisCa),
            RedisClientCertificateFile = Optional(settings, ProxySettingsContract.RedisClientCert),
            RedisClientKeyFile = Optional(settings, ProxySettingsContract.RedisClientKey),
            WebRoot = Value(settings, ProxySettingsContract.Web),
            AllowedOrigins = settings.Get(ProxySettingsContract.AllowedOrigin) ?? [],
            StrictOrigin = settings.Get(ProxySettingsContract.StrictOrigin),
            FrameAncestors = Values(settings, ProxySettingsContract.FrameAncestor),
            CertificatePath = Optional(settings, ProxySettingsContract.Cert),
            KeyPath = Optional(settings, ProxySettingsContract.Key),
            SslOnly = settings.Get(ProxySettingsContract.SslOnly),
            IdleTimeout = Limit(settings.Get(ProxySettingsContract.IdleTimeout)),
            MaxDuration = Limit(settings.Get(ProxySettingsContract.MaxDuration)),
            EnforceExpiry = settings.Get(ProxySettingsContract.EnforceExpiry),
            MaxSessions = settings.Get(ProxySettingsContract.MaxSessions),
            PingInterval = settings.Get(ProxySettingsContract.PingInterval),
            DrainTimeout = settings.Get(ProxySettingsContract.DrainTimeout),
            RecheckInterval = settings.Get(ProxySettingsContract.RecheckInterval),
            AllowedTargets = settings.Get(ProxySettingsContract.AllowedTarget) ?? [],
            Kinds = Values(settings, ProxySettingsContract.Kinds) is { Count: > 0 } kinds ? kinds : ProxySettingsContract.Kinds.Default,
            SerialAllowedTargets = settings.Get(ProxySettingsContract.SerialAllowedTarget) ?? [],
            SpiceAllowedTargets = settings.Get(ProxySettingsContract.SpiceAllowedTarget) ?? [],
            AllowWideTargetNetworks = settings.Get(ProxySettingsContract.AllowWideTargetNetworks),
            TargetAuthSchemes = Values(settings, ProxySettingsContract.TargetAuthSchemes),
            TargetTls = settings.Get(ProxySettingsContract.TargetTls),
            TargetCaFile = Optional(settings, ProxySettingsContract.TargetCa),
            TargetCertificateFile = Optional(settings, ProxySettingsContract.TargetCert),
            TargetKeyFile = Optional(settings, ProxySettingsContract.TargetKey),
            VncPasswordKeyFile = Optional(settings, ProxySettingsContract.VncPasswordKey),
            Name = Value(settings, ProxySettingsContract.Name),
            InstanceName = Value(settings, ProxySettingsContract.InstanceName),
            MaxSessionsPerTarget = settings.Get(ProxySettingsContract.MaxSessionsPerTarget),
            OnSessionLimit = Value(settings, ProxySettingsContract.OnSessionLimit),
        };

        // A limit of 0 ("0" or "off") switches the limit off.
        static TimeSpan? Limit(TimeSpan value) => value == TimeSpan.Zero ? null : value;
        static string Value(ProxySettings settings, ProxySetting<string> setting) => settings.Get(setting) ?? string.Empty;
        static IReadOnlyList<string> Values(ProxySettings settings, ProxySetting<IReadOnlyList<string>> setting) => settings.Get(setting) ?? [];
        static string? Optional(ProxySettings settings, ProxySetting<string> setting) => settings.Get(setting) is { Length: > 0 } value ? value : null;
    }

    /// <summary>Address to listen on (nova: 0.0.0.0).</summary>
    public string Host { get; init; } = ProxySettingsContract.Host.Default;

    /// <summary>TCP port (nova: 6080). 0 asks the kernel for a free port (tests).</summary>
    public int Port { get; init; } = ProxySettingsContract.Port.Default;

    /// <summary>Redis HOST:PORT holding the token index.</summary>
    public required string RedisAddress { get; init; }

    public string? RedisPassword { get; init; }

    public bool RedisTls { get; init; }

    public string KeyPrefix { get; init; } = ProxySettingsContract.KeyPrefix.Default;

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

    /// <summary>Origins accepted besides the request's own Host: full origins or host names, parsed.</summary>
    public PolicyList<AllowedOrigin> AllowedOrigins { get; init; } = [];

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
    public string Name { get; init; } = ProxySettingsContract.Name.Default;

    /// <summary>This process's name in the published session list; the pod name under the operator.</summary>
    public string InstanceName { get; init; } = ProxySettingsContract.InstanceName.Default;

    /// <summary>Live sessions one target (host:port) admits across the fleet; 0 = unlimited.</summary>
    public int MaxSessionsPerTarget { get; init; }

    /// <summary>`reject` or `takeover`: what a session over a limit does (see <see cref="Sessions.SessionLimitAction"/>).</summary>
    public string OnSessionLimit { get; init; } = ProxySettingsContract.OnSessionLimit.Default;

    /// <summary>Server WebSocket pings; a peer that does not answer within one interval is closed. Zero = no pings.</summary>
    public TimeSpan PingInterval { get; init; } = ProxySettingsContract.PingInterval.Default;

    /// <summary>On shutdown, how long live sessions may continue before they are closed with 1001.</summary>
    public TimeSpan DrainTimeout { get; init; } = ProxySettingsContract.DrainTimeout.Default;

    /// <summary>Where sessions may connect to (`--allowed-target`), parsed. Empty = unrestricted.</summary>
    public PolicyList<AllowedTarget> AllowedTargets { get; init; } = [];

    /// <summary>`--kinds` as given: the console kinds served (comma-separated and/or repeated); default VNC only.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = ProxySettingsContract.Kinds.Default;

    /// <summary>
    /// Where serial sessions may connect to (`--serial-allowed-target`, the same syntax as <see cref="AllowedTargets"/>):
    /// serial ports are not VNC ports, so a serial token never passes the VNC list and the reverse. Empty = unrestricted,
    /// allowed only when <see cref="AllowedTargets"/> is empty too (a lab); otherwise a serial proxy must name its own.
    /// </summary>
    public PolicyList<AllowedTarget> SerialAllowedTargets { get; init; } = [];

    /// <summary>
    /// Where SPICE sessions may connect to (`--spice-allowed-target`, the same syntax and rules as
    /// <see cref="SerialAllowedTargets"/>): SPICE ports are neither VNC nor serial ports.
    /// </summary>
    public PolicyList<AllowedTarget> SpiceAllowedTargets { get; init; } = [];

    /// <summary>Accept allowed targets wider than /8 (IPv4) or /32 (IPv6); otherwise they are refused at start.</summary>
    public bool AllowWideTargetNetworks { get; init; }

    /// <summary>How often live sessions' tokens are looked up again, for revocations the subscription missed; zero: only after it reconnects.</summary>
    public TimeSpan RecheckInterval { get; init; } = ProxySettingsContract.RecheckInterval.Default;

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
    public static string BundledWebRoot => ProxySettingsContract.BundledWebRoot;

    /// <summary>A kind's allowed targets as given: `--allowed-target` for VNC, `--serial-allowed-target`, `--spice-allowed-target`.</summary>
    public PolicyList<AllowedTarget> AllowedTargetsOf(ConsoleKind kind) => kind switch
    {
        ConsoleKind.Vnc => AllowedTargets,
        ConsoleKind.Serial => SerialAllowedTargets,
        ConsoleKind.Spice => SpiceAllowedTargets,
        _ => PolicyList.Empty<AllowedTarget>(),
    };

    /// <summary>
    /// A kind's target policy (none: unrestricted), its entries parsed when the settings were read; throws
    /// <see cref="FormatException"/> for a wide entry without <see cref="AllowWideTargetNetworks"/>.
    /// </summary>
    public TargetPolicy ParseTargetPolicy(ConsoleKind kind) =>
        AllowedTargetsOf(kind) is { Count: > 0 } entries ? TargetPolicy.From(entries, AllowWideTargetNetworks) : TargetPolicy.Unrestricted;

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
            policies[kind] = kind is ConsoleKind.Vnc or ConsoleKind.Serial or ConsoleKind.Spice
                ? ParseTargetPolicy(kind)
                : throw new FormatException($"--kinds: {ConsoleKindNames.NameOf(kind)} is not a console kind this proxy relays");
        }

        return new ServedKinds(policies);
    }
}
