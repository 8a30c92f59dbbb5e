using ConsoleProxy.Tokens.Policy;
using Microsoft.AspNetCore.Http;

namespace ConsoleProxy.Origins;

/// <summary>
/// nova's Origin check for WebSocket upgrades, so a page on another site cannot open consoles with
/// a user's cookie: the Origin's host must be the request's Host (ports are not compared, as in
/// nova, because load balancers rewrite them) or an allowed origin, and its scheme must match the
/// scheme the browser used to reach us: X-Forwarded-Proto when a TLS-terminating proxy set it, else
/// whether this connection is TLS. Requests without Origin (non-browser clients) pass.
/// <paramref name="strictPort"/> (`--strict-origin`) compares the port too, for deployments whose Host header
/// keeps the port browsers use: then a page on another port of the same host cannot open consoles either.
/// </summary>
public sealed class OriginPolicy(IReadOnlyList<AllowedOrigin> allowedOrigins, bool strictPort = false)
{
    private const string ForwardedProtoHeader = "X-Forwarded-Proto";

    /// <summary>Null when the request may upgrade; otherwise the reason for the 403.</summary>
    public string? Check(HttpRequest request)
    {
        var originText = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(originText))
        {
            return null;
        }

        if (!Uri.TryCreate(originText, UriKind.Absolute, out var origin) || origin.Scheme is not ("http" or "https"))
        {
            return "Origin header is not an http(s) origin";
        }

        var originHost = origin.IdnHost.Trim('[', ']').ToLowerInvariant();
        var requestScheme = RequestScheme(request);
        foreach (var allowed in allowedOrigins)
        {
            if (allowed.IsFullOrigin
                && allowed.Scheme == origin.Scheme
                && allowed.Host == originHost
                && allowed.Port == origin.Port)
            {
                return null;
            }
        }

        var hostMatches = string.Equals(originHost, RequestHostName(request), StringComparison.OrdinalIgnoreCase)
            || allowedOrigins.Any(allowed => !allowed.IsFullOrigin && allowed.Host == originHost && (allowed.Port is null || allowed.Port == origin.Port));
        if (!hostMatches)
        {
            return "Origin header does not match this host";
        }

        if (origin.Scheme != requestScheme)
        {
            return "Origin header scheme does not match this host's";
        }

        return strictPort && !OwnHostPortMatches(request, originHost, origin.Port, requestScheme)
            ? "Origin header port does not match this host's (strict origin check)"
            : null;
    }

    // Only the comparison with the request's own host gains the port: a bare-host --allowed-origin entry names no
    // port, so it keeps matching any.
    private static bool OwnHostPortMatches(HttpRequest request, string originHost, int originPort, string requestScheme)
    {
        if (!string.Equals(originHost, RequestHostName(request), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var requestPort = request.Host.Port ?? (requestScheme == "https" ? 443 : 80);
        return requestPort == originPort;
    }

    /// <summary>http or https as the browser sees us; wss/ws forwarded values count as https/http.</summary>
    public static string RequestScheme(HttpRequest request)
    {
        var forwarded = request.Headers[ForwardedProtoHeader].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
        {
            // A chain of proxies appends; the first value is what the browser used.
            var first = forwarded.Split(',')[0].Trim().ToLowerInvariant();
            return first is "https" or "wss" ? "https" : "http";
        }

        return request.IsHttps ? "https" : "http";
    }

    private static string RequestHostName(HttpRequest request) =>
        request.Host.HasValue ? request.Host.Host.Trim('[', ']') : string.Empty;
}
