using System.Net;
using ConsoleProxy.Configuration;
using ConsoleProxy.Sessions;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.WebClient;

namespace ConsoleProxy.Hosting;

/// <summary>
/// Checks <see cref="ProxyOptions"/> before anything starts, so a bad flag is one clear line at
/// start-up instead of a failure on the first session. A missing web folder is not an error: the
/// relay works without the pages (it is logged at start instead).
/// </summary>
public static class ProxyOptionsValidator
{
    public static IReadOnlyList<string> Validate(ProxyOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.Host, out _) && !string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"--host '{options.Host}' is not an IP address (use 0.0.0.0, ::, 127.0.0.1, ... or localhost)");
        }

        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"--port {options.Port} is outside 0-65535");
        }

        if (options.RedisSentinel is not null)
        {
            if (SentinelOptions.ParseAddresses(options.RedisSentinel, out var sentinelError) is null)
            {
                errors.Add($"--redis-sentinel: {sentinelError}");
            }

            if (string.IsNullOrWhiteSpace(options.RedisMasterName))
            {
                errors.Add("--redis-master-name is required with --redis-sentinel (the name the sentinels monitor the primary under)");
            }

            if (!string.IsNullOrWhiteSpace(options.RedisAddress))
            {
                errors.Add("--redis and --redis-sentinel exclude each other: name a single Redis or the sentinels, not both");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.RedisAddress))
        {
            errors.Add("--redis is required (HOST:PORT of the token store), or --redis-sentinel with --redis-master-name");
        }
        else if (!ConsoleTarget.TryParse(options.RedisAddress, out _, out var redisError))
        {
            errors.Add($"--redis: {redisError}");
        }

        if (options.RedisMasterName is not null && options.RedisSentinel is null)
        {
            errors.Add("--redis-master-name needs --redis-sentinel");
        }

        if (options.RedisClientKeyFile is not null && options.RedisClientCertificateFile is null)
        {
            errors.Add("--redis-client-key needs --redis-client-cert");
        }

        if (options.RedisClientCertificateFile is not null && options.RedisClientKeyFile is null)
        {
            errors.Add("--redis-client-cert needs --redis-client-key");
        }

        foreach (var (file, name) in new[] { (options.RedisCaFile, "--redis-ca"), (options.RedisClientCertificateFile, "--redis-client-cert"), (options.RedisClientKeyFile, "--redis-client-key") })
        {
            if (file is not null && !File.Exists(file))
            {
                errors.Add($"{name} '{file}' does not exist");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            errors.Add("--key-prefix must not be empty");
        }

        ValidateTls(options, errors);
        ValidateTargetSecurity(options, errors);

        // Allowed origins and targets are parsed as they are read (PolicyList): only what depends on other
        // settings (wide networks, the kinds served) is judged here.
        if (!FramingPolicy.TryParse(options.FrameAncestors, out _, out var framingError))
        {
            errors.Add($"--frame-ancestor: {framingError}");
        }

        if (options.IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            errors.Add("--idle-timeout must be positive (0 or off disables it)");
        }

        if (options.MaxDuration is { } max && max <= TimeSpan.Zero)
        {
            errors.Add("--max-duration must be positive (0 or off disables it)");
        }

        if (options.MaxSessions < 0)
        {
            errors.Add($"--max-sessions {options.MaxSessions} is negative (0 means unlimited)");
        }

        if (options.MaxSessionsPerTarget < 0)
        {
            errors.Add($"--max-sessions-per-target {options.MaxSessionsPerTarget} is negative (0 means unlimited)");
        }

        if (!Sessions.SessionLimitActions.TryParse(options.OnSessionLimit, out _))
        {
            errors.Add($"--on-session-limit '{options.OnSessionLimit}' is not one of reject, takeover");
        }

        if (string.IsNullOrWhiteSpace(options.InstanceName) || options.InstanceName.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"--instance-name '{options.InstanceName}' must be a non-empty name without '/' (the pod name)");
        }

        if (options.PingInterval < TimeSpan.Zero)
        {
            errors.Add("--ping-interval must not be negative (0 disables pings)");
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            errors.Add("--drain-timeout must not be negative");
        }

        if (options.DialTimeout <= TimeSpan.Zero)
        {
            errors.Add("the dial timeout must be positive");
        }

        if (options.RequestHeadersTimeout <= TimeSpan.Zero)
        {
            errors.Add("the request headers timeout must be positive");
        }

        try
        {
            options.ParseTargetPolicy(ConsoleKind.Vnc);
        }
        catch (FormatException e)
        {
            errors.Add($"--allowed-target: {e.Message}");
        }

        ValidateKinds(options, errors);
        return errors;
    }

    private static void ValidateKinds(ProxyOptions options, List<string> errors)
    {
        if (!ConsoleKindNames.TryParseList(options.Kinds, out var kinds, out var kindsError))
        {
            errors.Add($"--kinds: {kindsError}");
            return;
        }

        ValidateKindTargets(options, kinds, ConsoleKind.Serial, "--serial-allowed-target", options.SerialAllowedTargets, "the serial ports' networks) when --allowed-target restricts VNC: serial ports are not VNC ports", () => options.ParseTargetPolicy(ConsoleKind.Serial), errors);
        ValidateKindTargets(options, kinds, ConsoleKind.Spice, "--spice-allowed-target", options.SpiceAllowedTargets, "the SPICE ports' networks) when --allowed-target restricts VNC: SPICE ports are not VNC ports", () => options.ParseTargetPolicy(ConsoleKind.Spice), errors);
    }

    /// <summary>The allow-list of a kind other than VNC: given only with its kind, required when VNC's is restricted.</summary>
    private static void ValidateKindTargets(ProxyOptions options, IReadOnlySet<ConsoleKind> kinds, ConsoleKind kind, string optionName, PolicyList<AllowedTarget> targets, string why, Action parse, List<string> errors)
    {
        var name = ConsoleKindNames.NameOf(kind);
        if (!kinds.Contains(kind))
        {
            if (targets.Count > 0)
            {
                errors.Add($"{optionName} is given but --kinds does not include {name}; add {name} to --kinds or drop the option");
            }

            return;
        }

        if (targets.Count == 0 && options.AllowedTargets.Count > 0)
        {
            // Falling back to the VNC list would open the VNC ports to this kind's tokens, and an unrestricted list
            // beside a restricted VNC one would be an open relay nobody meant.
            errors.Add($"--kinds {name} needs {optionName} (CIDR[:PORT[-PORT]], {why}");
        }

        try
        {
            parse();
        }
        catch (FormatException e)
        {
            errors.Add($"{optionName}: {e.Message}");
        }
    }

    private static void ValidateTargetSecurity(ProxyOptions options, List<string> errors)
    {
        if (!TargetSecurity.TargetSecurityOptions.TryParseSchemes(options.TargetAuthSchemes, out var schemes, out var schemeError))
        {
            errors.Add($"--target-auth-schemes: {schemeError}");
        }

        if ((options.TargetCertificateFile is null) != (options.TargetKeyFile is null))
        {
            errors.Add("--target-cert and --target-key go together: give both PEM files or neither");
        }

        foreach (var (flag, path) in new[] { ("--target-ca", options.TargetCaFile), ("--target-cert", options.TargetCertificateFile), ("--target-key", options.TargetKeyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                errors.Add($"{flag} '{path}' does not exist");
            }
        }

        if (options.VncPasswordKeyFile is { } keyring)
        {
            try
            {
                Tokens.Secrets.VncPasswordKeyring.Load(keyring);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                errors.Add($"--vnc-password-key: {e.Message}");
            }
        }

        var vencrypt = schemes.Contains(TargetSecurity.TargetAuthScheme.VeNCrypt);
        if ((vencrypt || options.TargetTls) && options.TargetCaFile is null)
        {
            // As nova's vencrypt_ca_certs: compute nodes' certificates come from a private CA, never the system's.
            errors.Add($"{(vencrypt ? "--target-auth-schemes vencrypt" : "--target-tls")} needs --target-ca, the CA that signed the VNC servers' certificates");
        }

        if (!vencrypt && !options.TargetTls && (options.TargetCertificateFile is not null || options.TargetCaFile is not null))
        {
            errors.Add("--target-cert and --target-ca are used only with --target-auth-schemes vencrypt or --target-tls");
        }
    }

    private static void ValidateTls(ProxyOptions options, List<string> errors)
    {
        if ((options.CertificatePath is null) != (options.KeyPath is null))
        {
            errors.Add("--cert and --key go together: give both PEM files or neither");
            return;
        }

        foreach (var (flag, path) in new[] { ("--cert", options.CertificatePath), ("--key", options.KeyPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                errors.Add($"{flag} '{path}' does not exist");
            }
        }
    }
}
