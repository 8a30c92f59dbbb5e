namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// How the proxy connects to VNC servers (`--target-auth-schemes`, `--target-tls`, `--target-ca`, `--target-cert`,
/// `--target-key`). With no auth schemes the proxy relays RFB untouched and the browser negotiates security with the
/// server itself, as websockify does; with schemes it is an RFB security proxy, as nova's is.
/// </summary>
public sealed record TargetSecurityOptions
{
    /// <summary>In order of preference; empty: the browser negotiates (pass-through).</summary>
    public IReadOnlyList<TargetAuthScheme> AuthSchemes { get; init; } = [];

    /// <summary>RFB inside TLS from the first byte (websockify's `--ssl-target`).</summary>
    public bool Tls { get; init; }

    /// <summary>PEM CA bundle the server's certificate must chain to; null: the system's trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate (with <see cref="KeyFile"/>) shown to servers that ask for one.</summary>
    public string? CertificateFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>The keyring that opens tokens' sealed VNC passwords (`--vnc-password-key`); null: tokens carry none.</summary>
    public string? VncPasswordKeyFile { get; init; }

    /// <summary>True when the proxy itself speaks to the server (security negotiation or TLS), not only relays.</summary>
    public bool IsActive => AuthSchemes.Count > 0 || Tls;

    public static bool TryParseSchemes(IEnumerable<string> names, out IReadOnlyList<TargetAuthScheme> schemes, out string? error)
    {
        var parsed = new List<TargetAuthScheme>();
        foreach (var name in names.SelectMany(n => n.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            TargetAuthScheme? scheme = name.ToLowerInvariant() switch
            {
                "vencrypt" => TargetAuthScheme.VeNCrypt,
                "vencrypt-anon" => TargetAuthScheme.VeNCryptAnonymous,
                "vnc" => TargetAuthScheme.Vnc,
                "none" => TargetAuthScheme.None,
                _ => null,
            };
            if (scheme is null)
            {
                schemes = [];
                error = $"unknown auth scheme '{name}': use vencrypt, vencrypt-anon, vnc and/or none, in order of preference (as nova's [vnc] auth_schemes)";
                return false;
            }

            if (!parsed.Contains(scheme.Value))
            {
                parsed.Add(scheme.Value);
            }
        }

        schemes = parsed;
        error = null;
        return true;
    }

    public static string Describe(IReadOnlyList<TargetAuthScheme> schemes) =>
        string.Join(",", schemes.Select(s => s switch
        {
            TargetAuthScheme.VeNCrypt => "vencrypt",
            TargetAuthScheme.VeNCryptAnonymous => "vencrypt-anon",
            TargetAuthScheme.Vnc => "vnc",
            _ => "none",
        }));
}
