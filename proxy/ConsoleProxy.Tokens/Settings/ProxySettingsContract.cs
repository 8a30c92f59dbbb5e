using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Store;
using OriginEntry = ConsoleProxy.Tokens.Policy.AllowedOrigin;
using TargetEntry = ConsoleProxy.Tokens.Policy.AllowedTarget;

namespace ConsoleProxy.Tokens.Settings;

/// <summary>
/// Every setting of `consoleproxy serve`, once: the operator writes a ConsoleProxy's <see cref="ProxySettings"/> as
/// these variables, the proxy's command line is generated from this list, and the proxy reads the same parsers'
/// values into its options. Defaults follow nova where nova has one. Adding a setting here adds the option,
/// the variable and the help line; the round-trip tests then ask the operator and the proxy to take it.
/// </summary>
public static class ProxySettingsContract
{
    public static ProxySetting<string> Host { get; } = Text("--host", "Address to listen on", "ADDRESS", "0.0.0.0");

    public static ProxySetting<int> Port { get; } = Integer("--port", "TCP port to listen on", "PORT", 6080);

    public static ProxySetting<string> Redis { get; } = Text("--redis", "Token store (Redis) as HOST:PORT; IPv6 as [ADDR]:PORT (or --redis-sentinel)", "HOST:PORT");

    public static ProxySetting<string> RedisPassword { get; } = Text("--redis-password", "Redis AUTH password (prefer the environment variable)", "PASSWORD");

    public static ProxySetting<bool> RedisTls { get; } = Flag("--redis-tls", "Connect to Redis over TLS");

    public static ProxySetting<string> RedisUser { get; } = Text("--redis-user", "Redis 6+ ACL user the password belongs to (default: the default user)", "USER");

    public static ProxySetting<string> RedisSentinel { get; } = Text("--redis-sentinel", "Find the Redis primary through these sentinels (HOST:PORT,HOST:PORT,...) instead of --redis; needs --redis-master-name", "HOST:PORT,...");

    public static ProxySetting<string> RedisMasterName { get; } = Text("--redis-master-name", "The name the sentinels monitor the primary under", "NAME");

    public static ProxySetting<string> RedisCa { get; } = Text("--redis-ca", "PEM file of the private CA Redis's certificate must chain to (host name verified; implies TLS)", "FILE");

    public static ProxySetting<string> RedisClientCert { get; } = Text("--redis-client-cert", "PEM client certificate for a Redis that asks for one (with --redis-client-key; implies TLS)", "FILE");

    public static ProxySetting<string> RedisClientKey { get; } = Text("--redis-client-key", "PEM private key of --redis-client-cert", "FILE");

    public static ProxySetting<string> KeyPrefix { get; } = Text("--key-prefix", "Prefix of the proxy's keys and revocation channel in Redis", "PREFIX", TokenStoreOptions.DefaultKeyPrefix);

    public static ProxySetting<string> Web { get; } = new(
        "--web",
        ProxySettingShape.Text,
        "Folder with the noVNC web client (vnc.html, vnc_lite.html, app/, core/); default: the copy bundled next to the executable",
        ParseText,
        value => value,
        "DIR",
        () => BundledWebRoot);

    public static ProxySetting<PolicyList<OriginEntry>> AllowedOrigin { get; } = Policies<OriginEntry>("--allowed-origin", "ORIGIN", "Browser origin allowed besides this host: a full origin (https://console.example.com[:port], matched exactly) or a host name (console.example.com[:port], scheme must match); repeatable");

    public static ProxySetting<bool> StrictOrigin { get; } = Flag("--strict-origin", "Compare the Origin's port with the request's Host port too (default, as nova: host and scheme only, since load balancers may rewrite ports)");

    public static ProxySetting<IReadOnlyList<string>> FrameAncestor { get; } = List("--frame-ancestor", "ORIGIN", "Site allowed to show the console pages in a frame besides this one (a portal that embeds the console), e.g. https://portal.example.com or https://*.example.com; repeatable; default: same origin only");

    public static ProxySetting<string> Cert { get; } = Text("--cert", "TLS certificate chain (PEM); with --key the port serves HTTPS/WSS", "PEM");

    public static ProxySetting<string> Key { get; } = Text("--key", "TLS private key (PEM) for --cert", "PEM");

    public static ProxySetting<bool> SslOnly { get; } = Flag("--ssl-only", "Refuse WebSocket requests that did not arrive over TLS (on this port, or per X-Forwarded-Proto: https from a TLS-terminating proxy)");

    public static ProxySetting<TimeSpan> IdleTimeout { get; } = DurationSetting("--idle-timeout", "Close sessions without traffic either way for this long (close code 4003)", "0");

    public static ProxySetting<TimeSpan> MaxDuration { get; } = DurationSetting("--max-duration", "Close sessions this long after they connected (close code 4004)", "0");

    public static ProxySetting<bool> EnforceExpiry { get; } = Flag("--enforce-expiry", "Close live sessions when their token expires (close code 4002); off: a token only has to be valid at connect, as in nova");

    public static ProxySetting<int> MaxSessions { get; } = Integer("--max-sessions", "Live sessions per process; new ones get 503 when full (0 = unlimited)", "COUNT", 0);

    public static ProxySetting<TimeSpan> PingInterval { get; } = DurationSetting("--ping-interval", "WebSocket ping interval, so intermediaries keep idle sessions open; a client that does not answer within one interval is disconnected", "30s");

    public static ProxySetting<TimeSpan> DrainTimeout { get; } = DurationSetting("--drain-timeout", "On SIGTERM: refuse new sessions, let live ones continue this long, then close them with 1001", "25s");

    public static ProxySetting<TimeSpan> RecheckInterval { get; } = DurationSetting("--recheck-interval", "Look every live session's token up again this often and close those revoked meanwhile (a revocation the subscription missed); besides, always after the subscription reconnects", "60s");

    public static ProxySetting<PolicyList<TargetEntry>> AllowedTarget { get; } = Policies<TargetEntry>("--allowed-target", "CIDR[:PORT[-PORT]]", "Networks (and ports) sessions may connect to, checked on the resolved address, e.g. 10.0.0.0/8:5900-5999 or [fd00:20::]/48:5900; repeatable; none = unrestricted (logged as a warning); wider than /8 (IPv4) or /32 (IPv6) needs --allow-wide-target-networks");

    /// <summary>A list with a default: given at all, it needs at least one value.</summary>
    public static ProxySetting<IReadOnlyList<string>> Kinds { get; } = List(
        "--kinds",
        "KIND[,KIND]",
        "Console kinds this proxy serves, comma-separated or repeated: vnc (noVNC), serial (xterm.js terminal, raw bytes to a TCP serial port), spice (spice-html5, raw bytes to a SPICE port, one WebSocket per channel); a token of another kind is refused with 403",
        () => [ConsoleKindNames.Vnc]);

    public static ProxySetting<PolicyList<TargetEntry>> SerialAllowedTarget { get; } = Policies<TargetEntry>("--serial-allowed-target", "CIDR[:PORT[-PORT]]", "Networks (and ports) serial sessions may connect to (the VMs' serial ports, e.g. QEMU -serial tcp:HOST:PORT,server=on), as --allowed-target for VNC; a serial token passes only this list, a VNC token only --allowed-target; required with --kinds serial when --allowed-target is given; repeatable");

    public static ProxySetting<PolicyList<TargetEntry>> SpiceAllowedTarget { get; } = Policies<TargetEntry>("--spice-allowed-target", "CIDR[:PORT[-PORT]]", "Networks (and ports) SPICE sessions may connect to (the VMs' SPICE ports, e.g. QEMU -spice port=N), as --allowed-target for VNC; a SPICE token passes only this list; required with --kinds spice when --allowed-target is given; repeatable");

    public static ProxySetting<bool> AllowWideTargetNetworks { get; } = Flag("--allow-wide-target-networks", "Accept --allowed-target networks wider than /8 (IPv4) or /32 (IPv6), up to 0.0.0.0/0; loopback and link-local stay refused unless named exactly");

    public static ProxySetting<IReadOnlyList<string>> TargetAuthSchemes { get; } = List("--target-auth-schemes", "SCHEME", "Authenticate to VNC servers as the proxy, in order of preference: vencrypt (VeNCrypt X509None, X509Plain with the token's user name and VNC password, or X509Vnc with its password: TLS with --target-cert, server checked against --target-ca and its name), vencrypt-anon (VeNCrypt TLSNone, or TLSVnc with the token's password: anonymous TLS, encrypted but the server shows no certificate, so never implied by vencrypt), vnc (VNC password authentication with the token's password) and/or none; the browser is then offered security type None (nova's [vnc] auth_schemes); default: pass RFB through, the browser negotiates");

    public static ProxySetting<bool> TargetTls { get; } = Flag("--target-tls", "VNC servers speak RFB inside TLS from the first byte (websockify's --ssl-target); checked against --target-ca");

    public static ProxySetting<string> TargetCa { get; } = Text("--target-ca", "CA bundle (PEM) that signed the VNC servers' certificates (nova's vencrypt_ca_certs)", "PEM");

    public static ProxySetting<string> TargetCert { get; } = Text("--target-cert", "Client certificate (PEM) the proxy shows VNC servers; re-read when the file changes (nova's vencrypt_client_cert)", "PEM");

    public static ProxySetting<string> TargetKey { get; } = Text("--target-key", "Private key (PEM) of --target-cert (nova's vencrypt_client_key)", "PEM");

    public static ProxySetting<string> VncPasswordKey { get; } = Text("--vnc-password-key", "Keyring (base64 AES-256 keys, one per line, the first seals) that opens the VNC passwords tokens carry sealed; the security proxy answers the VNC server's challenge with them (--target-auth-schemes vnc, vencrypt's X509Vnc and X509Plain, vencrypt-anon's TLSVnc)", "FILE");

    public static ProxySetting<string> Name { get; } = Text("--name", "The ConsoleProxy this process serves (the operator passes NAMESPACE/NAME); labels consoleproxy_live_sessions so a fleet's sessions add up per ConsoleProxy", "NAME", string.Empty);

    public static ProxySetting<string> InstanceName { get; } = new(
        "--instance-name",
        ProxySettingShape.Text,
        "This process's name in the published session list (`consoleproxy sessions list`, the ConsoleToken's status); the pod name under the operator",
        ParseText,
        value => value,
        "NAME",
        () => Environment.MachineName);

    public static ProxySetting<int> MaxSessionsPerTarget { get; } = Integer("--max-sessions-per-target", "Live sessions one console (target host:port) admits across every proxy of this token store; what happens to one more is --on-session-limit (0 = unlimited)", "COUNT", 0);

    public static ProxySetting<string> OnSessionLimit { get; } = Text("--on-session-limit", "When a new session would exceed a token's max_sessions or --max-sessions-per-target: reject (the new one gets 409 naming the limit, KubeVirt's preserveSession) or takeover (the oldest is closed with 4006 and the new one proceeds)", "reject|takeover", "reject");

    /// <summary>Every setting, in the order `consoleproxy serve --help` lists them.</summary>
    public static IReadOnlyList<ProxySetting> All { get; } =
    [
        Host, Port, Redis, RedisPassword, RedisTls, RedisUser, RedisSentinel, RedisMasterName, RedisCa, RedisClientCert, RedisClientKey, KeyPrefix, Web, AllowedOrigin, StrictOrigin, FrameAncestor, Cert, Key, SslOnly,
        IdleTimeout, MaxDuration, EnforceExpiry, MaxSessions, PingInterval, DrainTimeout, RecheckInterval, AllowedTarget, Kinds, SerialAllowedTarget, SpiceAllowedTarget,
        AllowWideTargetNetworks, TargetAuthSchemes, TargetTls, TargetCa, TargetCert, TargetKey, VncPasswordKey, Name,
        InstanceName, MaxSessionsPerTarget, OnSessionLimit,
    ];

    /// <summary>The token store's settings, which the `token` and `sessions` verbs take too (same names, same variables).</summary>
    public static IReadOnlyList<ProxySetting> TokenStore { get; } =
        [Redis, RedisPassword, RedisTls, RedisUser, RedisSentinel, RedisMasterName, RedisCa, RedisClientCert, RedisClientKey, KeyPrefix];

    /// <summary>The noVNC folder shipped next to the proxy's executable by its build.</summary>
    public static string BundledWebRoot => Path.Combine(AppContext.BaseDirectory, "novnc");

    /// <summary>The setting whose option is <paramref name="option"/> (`--idle-timeout`), or null.</summary>
    public static ProxySetting? Find(string option) => All.FirstOrDefault(setting => string.Equals(setting.Option, option, StringComparison.Ordinal));

    private static ProxySetting<string> Text(string option, string description, string helpName, string? defaultValue = null) =>
        new(option, ProxySettingShape.Text, description, ParseText, value => value, helpName, defaultValue is null ? null : () => defaultValue);

    private static ProxySetting<int> Integer(string option, string description, string helpName, int defaultValue) =>
        new(option, ProxySettingShape.Integer, description, ParseInteger, value => value.ToString(CultureInfo.InvariantCulture), helpName, () => defaultValue);

    /// <summary>Flags are off unless given.</summary>
    private static ProxySetting<bool> Flag(string option, string description) =>
        new(option, ProxySettingShape.Flag, description, ParseFlag, value => value ? "true" : "false", defaultValue: () => false);

    /// <summary>Durations here all switch their feature off at 0; written as whole seconds, the unit nova and websockify use.</summary>
    private static ProxySetting<TimeSpan> DurationSetting(string option, string description, string defaultText) =>
        new(option, ProxySettingShape.Duration, description, ParseDuration, FormatSeconds, "DURATION", () => Settings.Duration.TryParse(defaultText, out var value, out _) ? value.Value : throw new InvalidOperationException($"{option}'s default '{defaultText}' is not a duration"), defaultText)
        {
            ZeroDisables = true,
        };

    private static ProxySetting<IReadOnlyList<string>> List(string option, string helpName, string description, Func<IReadOnlyList<string>>? defaultValue = null) =>
        new(option, ProxySettingShape.List, description, ParseList, values => string.Join(ProxySetting.ListSeparator, values), helpName, defaultValue);

    /// <summary>
    /// A repeatable policy (allowed targets, origins): each entry parsed by its type's one parser, written as the
    /// entries were given. Whether a wide target network is allowed is another setting's, so it is judged by
    /// <see cref="TargetPolicy.From"/>, not here.
    /// </summary>
    private static ProxySetting<PolicyList<T>> Policies<T>(string option, string helpName, string description)
        where T : IPolicyEntry<T> =>
        new(option, ProxySettingShape.List, description, ParsePolicies, values => values.ToString(), helpName);

    private static bool ParsePolicies<T>(string text, [NotNullWhen(true)] out PolicyList<T>? value, [NotNullWhen(false)] out string? error)
        where T : IPolicyEntry<T>
    {
        ParseList(text, out var entries, out _);
        if (PolicyList.TryParse<T>(entries, out value, out var problems))
        {
            error = null;
            return true;
        }

        error = PolicyList.Describe(problems);
        return false;
    }

    private static bool ParseText(string text, out string value, [NotNullWhen(false)] out string? error)
    {
        value = text;
        error = null;
        return true;
    }

    private static bool ParseInteger(string text, out int value, [NotNullWhen(false)] out string? error)
    {
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }

        error = $"'{text}' is not a whole number";
        return false;
    }

    private static bool ParseFlag(string text, out bool value, [NotNullWhen(false)] out string? error)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "1" or "yes" or "on" or "true":
                value = true;
                error = null;
                return true;
            case "0" or "no" or "off" or "false":
                value = false;
                error = null;
                return true;
            default:
                value = false;
                error = $"'{text}' is not a flag value; use true or false";
                return false;
        }
    }

    /// <summary>A variable's list: comma- or space-separated (a person may write either in a manifest).</summary>
    private static bool ParseList(string text, out IReadOnlyList<string> value, [NotNullWhen(false)] out string? error)
    {
        value = text.Split([ProxySetting.ListSeparator, ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        error = null;
        return true;
    }

    private static bool ParseDuration(string text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        var parsed = Settings.Duration.TryParse(text, out var duration, out error);
        value = duration ?? TimeSpan.Zero;
        return parsed;
    }

    private static string FormatSeconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
