using System.Diagnostics.CodeAnalysis;
using System.Web;

namespace ConsoleProxy.Tokens.Urls;

/// <summary>
/// The WebSocket address an access URL leads to, computed as the console pages do (console/settings.js): the page's
/// host and port unless `host`/`port` override them, wss behind https unless `encrypt` says otherwise, and `path`
/// (default `websockify`, a leading `/` tolerated) appended with the query it carries. Parameters may also follow
/// `#`. A ws:// or wss:// URL is taken as it is. Both of nova's shapes work:
/// `vnc_lite.html?path=websockify%3Ftoken%3D&lt;token&gt;` and `vnc_auto.html?path=%3Ftoken%3D&lt;token&gt;`.
/// </summary>
public static class ConsoleWebSocketAddress
{
    public static bool TryParse(string? accessUrl, [NotNullWhen(true)] out Uri? webSocket, [NotNullWhen(false)] out string? error)
    {
        webSocket = null;
        if (string.IsNullOrWhiteSpace(accessUrl) || !Uri.TryCreate(accessUrl.Trim(), UriKind.Absolute, out var page))
        {
            error = "not an absolute URL; give the access URL from the ConsoleToken's Secret (https://.../vnc_lite.html?path=...)";
            return false;
        }

        if (page.Scheme is "ws" or "wss")
        {
            webSocket = page;
            error = null;
            return true;
        }

        if (page.Scheme is not ("http" or "https"))
        {
            error = $"'{page.Scheme}:' is not an http(s) or ws(s) URL";
            return false;
        }

        var parameters = HttpUtility.ParseQueryString(page.Query);
        var fragment = HttpUtility.ParseQueryString(page.Fragment.TrimStart('#'));
        foreach (var name in fragment.AllKeys.OfType<string>())
        {
            parameters[name] = fragment[name];
        }

        var encrypt = parameters["encrypt"] is { Length: > 0 } flag
            ? flag.ToLowerInvariant() is not ("0" or "false" or "no" or "off")
            : page.Scheme == "https";
        var host = parameters["host"] is { Length: > 0 } overriddenHost ? overriddenHost : page.IdnHost;
        var authority = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        var port = parameters["port"] is { Length: > 0 } overriddenPort ? overriddenPort : page.IsDefaultPort ? null : page.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = (parameters["path"] ?? "websockify").TrimStart('/');
        var text = $"{(encrypt ? "wss" : "ws")}://{authority}{(port is null ? string.Empty : ":" + port)}/{path}";
        if (!Uri.TryCreate(text, UriKind.Absolute, out webSocket))
        {
            error = "its host, port or path parameters do not make a WebSocket address";
            return false;
        }

        error = null;
        return true;
    }
}
