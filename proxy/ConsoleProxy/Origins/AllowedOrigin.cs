using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Origins;

/// <summary>
/// One `--allowed-origin` entry. Either a full origin (`https://console.example.com`, optionally
/// with a port), which must match the browser's Origin exactly, or a bare host name
/// (`console.example.com`, nova's allowed_origins form), which matches the Origin's host while the
/// scheme must still match the request's as for the proxy's own host.
/// </summary>
public sealed record AllowedOrigin(string? Scheme, string Host, int? Port)
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

        var host = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"'{text}' is neither an origin (scheme://host[:port]) nor a host name";
            return false;
        }

        origin = new AllowedOrigin(null, host.ToLowerInvariant(), null);
        error = null;
        return true;
    }
}
