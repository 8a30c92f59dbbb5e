using System.CommandLine;
using ConsoleProxy.Configuration;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>
/// The `serve` options: a contract, since the operator runs every proxy pod with exactly these
/// names (and their CONSOLEPROXY_* variables). Defaults follow nova where nova has one.
/// </summary>
public sealed class ServeOptions
{
    public Option<string> Host { get; } = CliOption.Create("--host", "Address to listen on", () => "0.0.0.0", "ADDRESS");

    public Option<int> Port { get; } = CliOption.Create("--port", "TCP port to listen on", () => 6080, "PORT");

    public Option<string> Redis { get; } = CliOption.Create<string>("--redis", "Token store (Redis) as HOST:PORT; IPv6 as [ADDR]:PORT (or --redis-sentinel)", helpName: "HOST:PORT");

    public Option<string> RedisPassword { get; } = CliOption.Create<string>("--redis-password", "Redis AUTH password (prefer the environment variable)", helpName: "PASSWORD");

    public Option<bool> RedisTls { get; } = CliOption.Create<bool>("--redis-tls", "Connect to Redis over TLS");

    public Option<string> RedisUser { get; } = TokenStoreOptionSet.UserOption();

    public Option<string> RedisSentinel { get; } = TokenStoreOptionSet.SentinelOption();

    public Option<string> RedisMasterName { get; } = TokenStoreOptionSet.MasterNameOption();

    public Option<string> RedisCa { get; } = TokenStoreOptionSet.CaOption();

    public Option<string> RedisClientCert { get; } = TokenStoreOptionSet.ClientCertOption();

    public Option<string> RedisClientKey { get; } = TokenStoreOptionSet.ClientKeyOption();

    public Option<string> KeyPrefix { get; } = CliOption.Create("--key-prefix", "Prefix of this proxy's keys and revocation channel in Redis", () => TokenStoreOptions.DefaultKeyPrefix, "PREFIX");

    public Option<string> Web { get; } = CliOption.Create("--web", "Folder with the noVNC web client (vnc.html, vnc_lite.html, app/, core/); default: the copy bundled next to the executable", () => ProxyOptions.BundledWebRoot, "DIR");

    public Option<string[]> AllowedOrigin { get; } = CliOption.Repeatable("--allowed-origin", "ORIGIN", "Browser origin allowed besides this host: a full origin (https://console.example.com[:port], matched exactly) or a host name (console.example.com, scheme must match); repeatable");

    public Option<bool> StrictOrigin { get; } = CliOption.Create<bool>("--strict-origin", "Compare the Origin's port with the request's Host port too (default, as nova: host and scheme only, since load balancers may rewrite ports)");

    public Option<string[]> FrameAncestor { get; } = CliOption.Repeatable("--frame-ancestor", "ORIGIN", "Site allowed to show the console pages in a frame besides this one (a portal that embeds the console), e.g. https://portal.example.com or https://*.example.com; repeatable; default: same origin only");

    public Option<string> Cert { get; } = CliOption.Create<string>("--cert", "TLS certificate chain (PEM); with --key the port serves HTTPS/WSS", helpName: "PEM");

    public Option<string> Key { get; } = CliOption.Create<string>("--key", "TLS private key (PEM) for --cert", helpName: "PEM");

    public Option<bool> SslOnly { get; } = CliOption.Create<bool>("--ssl-only", "Refuse WebSocket requests that did not arrive over TLS (on this port, or per X-Forwarded-Proto: https from a TLS-terminating proxy)");

    public Option<string> IdleTimeout { get; } = CliOption.Duration("--idle-timeout", "Close sessions without traffic either way for this long (close code 4003)", "0", zeroDisables: true);

    public Option<string> MaxDuration { get; } = CliOption.Duration("--max-duration", "Close sessions this long after they connected (close code 4004)", "0", zeroDisables: true);

    public Option<bool> EnforceExpiry { get; } = CliOption.Create<bool>("--enforce-expiry", "Close live sessions when their token expires (close code 4002); off: a token only has to be valid at connect, as in nova");

    public Option<int> MaxSessions { get; } = CliOption.Create("--max-sessions", "Live sessions per process; new ones get 503 when full (0 = unlimited)", () => 0, "COUNT");

    public Option<string> PingInterval { get; } = CliOption.Duration("--ping-interval", "WebSocket ping interval, so intermediaries keep idle sessions open; a client that does not answer within one interval is disconnected", "30s", zeroDisables: true);

    public Option<string> DrainTimeout { get; } = CliOption.Duration("--drain-timeout", "On SIGTERM: refuse new sessions, let live ones continue this long, then close them with 1001", "25s", zeroDisables: true);

    public Option<string> RecheckInterval { get; } = CliOption.Duration("--recheck-interval", "Look every live session's token up again this often and close those revoked meanwhile (a revocation the subscription missed); besides, always after the subscription reconnects", "60s", zeroDisables: true);

    public Option<string[]> AllowedTarget { get; } = CliOption.Repeatable("--allowed-target", "CIDR[:PORT[-PORT]]", "Networks (and ports) sessions may connect to, checked on the resolved address, e.g. 10.0.0.0/8:5900-5999 or [fd00:20::]/48:5900; repeatable; none = unrestricted (logged as a warning); wider than /8 (IPv4) or /32 (IPv6) needs --allow-wide-target-networks");

    public Option<string[]> Kinds { get; } = KindsOption();

    public Option<string[]> SerialAllowedTarget { get; } = CliOption.Repeatable("--serial-allowed-target", "CIDR[:PORT[-PORT]]", "Networks (and ports) serial sessions may connect to (the VMs' serial ports, e.g. QEMU -serial tcp:HOST:PORT,server=on), as --allowed-target for VNC; a serial token passes only this list, a VNC token only --allowed-target; required with --kinds serial when --allowed-target is given; repeatable");

    public Option<string[]> SpiceAllowedTarget { get; } = CliOption.Repeatable("--spice-allowed-target", "CIDR[:PORT[-PORT]]", "Networks (and ports) SPICE sessions may connect to (the VMs' SPICE ports, e.g. QEMU -spice port=N), as --allowed-target for VNC; a SPICE token passes only this list; required with --kinds spice when --allowed-target is given; repeatable");

    public Option<bool> AllowWideTargetNetworks { get; } = CliOption.Create<bool>("--allow-wide-target-networks", "Accept --allowed-target networks wider than /8 (IPv4) or /32 (IPv6), up to 0.0.0.0/0; loopback and link-local stay refused unless named exactly");

    public Option<string[]> TargetAuthSchemes { get; } = CliOption.Repeatable("--target-auth-schemes", "SCHEME", "Authenticate to VNC servers as the proxy, in order of preference: vencrypt (VeNCrypt X509None, X509Plain with the token's user name and VNC password, or X509Vnc with its password: TLS with --target-cert, server checked against --target-ca and its name), vencrypt-anon (VeNCrypt TLSNone, or TLSVnc with the token's password: anonymous TLS, encrypted but the server shows no certificate, so never implied by vencrypt), vnc (VNC password authentication with the token's password) and/or none; the browser is then offered security type None (nova's [vnc] auth_schemes); default: pass RFB through, the browser negotiates");

    public Option<bool> TargetTls { get; } = CliOption.Create<bool>("--target-tls", "VNC servers speak RFB inside TLS from the first byte (websockify's --ssl-target); checked against --target-ca");

    public Option<string> TargetCa { get; } = CliOption.Create<string>("--target-ca", "CA bundle (PEM) that signed the VNC servers' certificates (nova's vencrypt_ca_certs)", helpName: "PEM");

    public Option<string> TargetCert { get; } = CliOption.Create<string>("--target-cert", "Client certificate (PEM) the proxy shows VNC servers; re-read when the file changes (nova's vencrypt_client_cert)", helpName: "PEM");

    public Option<string> TargetKey { get; } = CliOption.Create<string>("--target-key", "Private key (PEM) of --target-cert (nova's vencrypt_client_key)", helpName: "PEM");

    public Option<string> VncPasswordKey { get; } = CliOption.Create<string>("--vnc-password-key", "Keyring (base64 AES-256 keys, one per line, the first seals) that opens the VNC passwords tokens carry sealed; the security proxy answers the VNC server's challenge with them (--target-auth-schemes vnc, vencrypt's X509Vnc and X509Plain, vencrypt-anon's TLSVnc)", helpName: "FILE");

    public Option<string> Name { get; } = CliOption.Create("--name", "The ConsoleProxy this process serves (the operator passes NAMESPACE/NAME); labels consoleproxy_live_sessions so a fleet's sessions add up per ConsoleProxy", () => string.Empty, "NAME");

    public Option<string> InstanceName { get; } = CliOption.Create("--instance-name", "This process's name in the published session list (`consoleproxy sessions list`, the ConsoleToken's status); the pod name under the operator", () => Environment.MachineName, "NAME");

    public Option<int> MaxSessionsPerTarget { get; } = CliOption.Create("--max-sessions-per-target", "Live sessions one console (target host:port) admits across every proxy of this token store; what happens to one more is --on-session-limit (0 = unlimited)", () => 0, "COUNT");

    public Option<string> OnSessionLimit { get; } = CliOption.Create("--on-session-limit", "When a new session would exceed a token's max_sessions or --max-sessions-per-target: reject (the new one gets 409 naming the limit, KubeVirt's preserveSession) or takeover (the oldest is closed with 4006 and the new one proceeds)", () => "reject", "reject|takeover");

    public IEnumerable<Option> All =>
    [
        Host, Port, Redis, RedisPassword, RedisTls, RedisUser, RedisSentinel, RedisMasterName, RedisCa, RedisClientCert, RedisClientKey, KeyPrefix, Web, AllowedOrigin, StrictOrigin, FrameAncestor, Cert, Key, SslOnly,
        IdleTimeout, MaxDuration, EnforceExpiry, MaxSessions, PingInterval, DrainTimeout, RecheckInterval, AllowedTarget, Kinds, SerialAllowedTarget, SpiceAllowedTarget,
        AllowWideTargetNetworks, TargetAuthSchemes, TargetTls, TargetCa, TargetCert, TargetKey, VncPasswordKey, Name,
        InstanceName, MaxSessionsPerTarget, OnSessionLimit,
    ];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Add(option);
        }
    }

    /// <summary>The options as one record; <see cref="ProxyOptionsValidator"/> checks it next.</summary>
    public ProxyOptions Read(ParseResult result)
    {
        static TimeSpan? Limit(TimeSpan value) => value == TimeSpan.Zero ? null : value;

        return new ProxyOptions
        {
            Host = result.GetValue(Host)!,
            Port = result.GetValue(Port),
            RedisAddress = result.GetValue(Redis) ?? string.Empty,
            RedisPassword = NullIfEmpty(result.GetValue(RedisPassword)),
            RedisTls = result.GetValue(RedisTls),
            KeyPrefix = result.GetValue(KeyPrefix)!,
            RedisUser = NullIfEmpty(result.GetValue(RedisUser)),
            RedisSentinel = NullIfEmpty(result.GetValue(RedisSentinel)),
            RedisMasterName = NullIfEmpty(result.GetValue(RedisMasterName)),
            RedisCaFile = NullIfEmpty(result.GetValue(RedisCa)),
            RedisClientCertificateFile = NullIfEmpty(result.GetValue(RedisClientCert)),
            RedisClientKeyFile = NullIfEmpty(result.GetValue(RedisClientKey)),
            WebRoot = result.GetValue(Web)!,
            AllowedOrigins = result.GetValue(AllowedOrigin) ?? [],
            StrictOrigin = result.GetValue(StrictOrigin),
            FrameAncestors = result.GetValue(FrameAncestor) ?? [],
            CertificatePath = NullIfEmpty(result.GetValue(Cert)),
            KeyPath = NullIfEmpty(result.GetValue(Key)),
            SslOnly = result.GetValue(SslOnly),
            IdleTimeout = Limit(CliOption.ReadDuration(result, IdleTimeout)),
            MaxDuration = Limit(CliOption.ReadDuration(result, MaxDuration)),
            EnforceExpiry = result.GetValue(EnforceExpiry),
            MaxSessions = result.GetValue(MaxSessions),
            PingInterval = CliOption.ReadDuration(result, PingInterval),
            DrainTimeout = CliOption.ReadDuration(result, DrainTimeout),
            RecheckInterval = CliOption.ReadDuration(result, RecheckInterval),
            AllowedTargets = result.GetValue(AllowedTarget) ?? [],
            Kinds = result.GetValue(Kinds) is { Length: > 0 } kinds ? kinds : [ConsoleKindNames.Vnc],
            SerialAllowedTargets = result.GetValue(SerialAllowedTarget) ?? [],
            SpiceAllowedTargets = result.GetValue(SpiceAllowedTarget) ?? [],
            AllowWideTargetNetworks = result.GetValue(AllowWideTargetNetworks),
            TargetAuthSchemes = result.GetValue(TargetAuthSchemes) ?? [],
            TargetTls = result.GetValue(TargetTls),
            TargetCaFile = NullIfEmpty(result.GetValue(TargetCa)),
            TargetCertificateFile = NullIfEmpty(result.GetValue(TargetCert)),
            TargetKeyFile = NullIfEmpty(result.GetValue(TargetKey)),
            VncPasswordKeyFile = NullIfEmpty(result.GetValue(VncPasswordKey)),
            Name = result.GetValue(Name) ?? string.Empty,
            InstanceName = result.GetValue(InstanceName) ?? string.Empty,
            MaxSessionsPerTarget = result.GetValue(MaxSessionsPerTarget),
            OnSessionLimit = result.GetValue(OnSessionLimit) ?? string.Empty,
        };
    }

    private static Option<string[]> KindsOption()
    {
        var option = CliOption.Create<string[]>("--kinds", "Console kinds this proxy serves, comma-separated or repeated: vnc (noVNC), serial (xterm.js terminal, raw bytes to a TCP serial port), spice (spice-html5, raw bytes to a SPICE port, one WebSocket per channel); a token of another kind is refused with 403", () => [ConsoleKindNames.Vnc], "KIND[,KIND]");
        option.Arity = System.CommandLine.ArgumentArity.OneOrMore;
        return option;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
