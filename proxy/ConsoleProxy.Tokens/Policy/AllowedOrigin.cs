using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>
/// One allowed origin (`--allowed-origin`, a ConsoleProxy's `spec.allowedOrigins`). Either a full origin
/// (`https://console.example.com`, optionally with a port), which must match the browser's Origin exactly, or a
/// host name (`console.example.com`, nova's allowed_origins form), which matches the Origin's host while the
/// scheme must still match the request's as for the proxy's own host; a host name with a port
/// (`console.example.com:8443`) matches only that port.
/// </summary>
public sealed record AllowedOrigin(string? Scheme, string Host, int? Port) : IPolicyEntry<AllowedOrigin>
{
    public bool IsFullOrigin => Scheme is not null;

    public static bool TryParse(string? text, [NotNullWhen(true)] out AllowedOrigin? origin, [NotNullWhen(false)] out string? error)
    {
        origin = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an allowed origin is empty";
            return false;
        }

        text = text.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                error = $"'{text}' is not an http(s) origin such as https://console.example.com";
                return false;
            }

            if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                error = $"'{text}' has a path or query; an origin is scheme://host[:port] only";
                return false;
            }

            origin = new AllowedOrigin(uri.Scheme, uri.IdnHost.Trim('[', ']').ToLowerInvariant(), uri.Port);
            error = null;
            return true;
        }

        if (TryParseHost(text, out var host, out var port))
        {
            origin = new AllowedOrigin(null, host, port);
            error = null;
            return true;
        }

        error = $"'{text}' is neither an origin (scheme://host[:port]) nor a host name[:port]";
        return false;
    }

    /// <summary>`host`, `[v6]`, `::1`, or any of them with a port (`host:8443`, `[v6]:8443`).</summary>
    private static bool TryParseHost(string text, [NotNullWhen(true)] out string? host, out int? port)
    {
        port = null;
        host = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (Uri.CheckHostName(host) != UriHostNameType.Unknown)
        {
            host = host.ToLowerInvariant();
            return true;
        }

        var colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon] : null;
        if (host is null
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 65535)
        {
            host = null;
            return false;
        }

        // An IPv6 address with a port must be bracketed: "::1:8443" is itself an address (taken above).
        host = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host.Contains(':', StringComparison.Ordinal) ? string.Empty : host;
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            host = null;
            return false;
        }

        host = host.ToLowerInvariant();
        port = number;
        return true;
    }
}
