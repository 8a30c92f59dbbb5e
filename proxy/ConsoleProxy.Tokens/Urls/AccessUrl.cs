using ConsoleProxy.Tokens.Kinds;

namespace ConsoleProxy.Tokens.Urls;

/// <summary>
/// Builds the URL a person opens to reach a console, in nova's shape:
/// `https://console.example.com/vnc_lite.html?path=websockify%3Ftoken%3D&lt;token&gt;`.
/// </summary>
/// <remarks>
/// noVNC 1.x has no `token` parameter of its own: it opens `ws(s)://HOST:PORT/` + the `path`
/// parameter, so the token rides inside `path`, and a base URL's path prefix (a proxy published
/// under `/console/`) has to be inside `path` too, or the WebSocket would miss the prefix. The base
/// URL names either a folder (`https://h/console/`: the page is `vnc_lite.html` in it) or a page
/// (nova's `novncproxy_base_url`, e.g. `http://127.0.0.1:6080/vnc_auto.html`: that page is used).
/// A serial token always opens <see cref="SerialPage"/> (a SPICE token <see cref="SpicePage"/>) in the base URL's folder: a page named in the base URL is a
/// VNC page, and the same base URL serves every kind of one proxy.
/// </remarks>
public static class AccessUrl
{
    /// <summary>The page used when the base URL names a folder.</summary>
    public const string DefaultPage = "vnc_lite.html";

    /// <summary>The terminal page (xterm.js) a serial token opens.</summary>
    public const string SerialPage = "serial.html";

    /// <summary>The spice-html5 page a SPICE token opens.</summary>
    public const string SpicePage = "spice.html";

    /// <summary>The WebSocket path noVNC uses by default; the proxy upgrades on any path.</summary>
    public const string WebSocketName = "websockify";

    public static string Build(string baseUrl, string token) => Build(baseUrl, token, ConsoleKind.Vnc);

    /// <summary>The URL that opens a console of <paramref name="kind"/>: the VNC page, the serial terminal page or the SPICE page.</summary>
    public static string Build(string baseUrl, string token, ConsoleKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var (origin, page, folder) = Split(baseUrl);
        page = kind switch
        {
            ConsoleKind.Vnc => page,
            ConsoleKind.Serial => folder + SerialPage,
            ConsoleKind.Spice => folder + SpicePage,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a console kind"),
        };

        // Escaped twice on purpose: once as a query value inside the WebSocket URL, once more as
        // the value of `path`, which noVNC decodes before use.
        var path = folder.TrimStart('/') + WebSocketName + "?token=" + Uri.EscapeDataString(token);
        return origin + page + "?path=" + Uri.EscapeDataString(path);
    }

    /// <summary>The proxy's screenshot path (its `GET /screenshot` endpoint), relative to the base URL's folder.</summary>
    public const string ScreenshotName = "screenshot";

    /// <summary>
    /// The image URL of a screenshot-only token: `{origin}{folder}screenshot?token=...`, in the same folder as the
    /// pages, so a proxy published under a prefix (whose ingress routes the prefix's pages) serves it too.
    /// </summary>
    public static string BuildScreenshot(string baseUrl, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var (origin, _, folder) = Split(baseUrl);
        return origin + folder + ScreenshotName + "?token=" + Uri.EscapeDataString(token);
    }

    /// <summary>
    /// The request path (without the token query) at which the browser will open the WebSocket for
    /// this base URL, e.g. `/console/websockify`: what an ingress in front of the proxy must route.
    /// </summary>
    public static string WebSocketPath(string baseUrl)
    {
        var (_, _, folder) = Split(baseUrl);
        return folder + WebSocketName;
    }

    /// <summary>Validates the base URL and splits it into origin, page path and the folder holding the page.</summary>
    private static (string Origin, string Page, string Folder) Split(string baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            throw new ArgumentException("the base URL is empty; expected an absolute http(s) URL such as https://console.example.com/", nameof(baseUrl));
        }

        if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the base URL '{baseUrl}' is not an absolute http or https URL", nameof(baseUrl));
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException($"the base URL '{baseUrl}' has a query or fragment; the access URL adds its own query", nameof(baseUrl));
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new ArgumentException($"the base URL for host '{uri.Host}' carries user credentials, which must not be handed out in an access URL", nameof(baseUrl));
        }

        // AbsolutePath keeps the percent-escapes of the original, which is what the browser sends.
        var path = uri.AbsolutePath;
        var origin = uri.GetLeftPart(UriPartial.Authority);
        if (path.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            return (origin, path, path[..(path.LastIndexOf('/') + 1)]);
        }

        var folder = path.EndsWith('/') ? path : path + "/";
        return (origin, folder + DefaultPage, folder);
    }
}
