using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ConsoleProxy.WebClient;

/// <summary>
/// Which sites may show the console pages in a frame. A live console framed by a hostile page can be clickjacked
/// (the user types into a console they cannot see), so by default only the proxy's own origin may frame it
/// (<c>Content-Security-Policy: frame-ancestors 'self'</c>, and <c>X-Frame-Options: SAMEORIGIN</c> for old browsers).
/// Portals that embed the console (nova's and KubeVirt's dashboards do) are named as origins; X-Frame-Options cannot
/// list them, so it is left out then and the CSP alone decides (browsers that know CSP ignore X-Frame-Options anyway).
/// </summary>
public sealed partial class FramingPolicy
{
    private FramingPolicy(IReadOnlyList<string> ancestors)
    {
        Ancestors = ancestors;
        ContentSecurityPolicy = string.Join(' ', ["frame-ancestors", "'self'", .. ancestors]);
        XFrameOptions = ancestors.Count == 0 ? "SAMEORIGIN" : null;
    }

    /// <summary>Same-origin framing only.</summary>
    public static FramingPolicy SameOrigin { get; } = new([]);

    /// <summary>The origins allowed to frame the pages besides the proxy's own.</summary>
    public IReadOnlyList<string> Ancestors { get; }

    public string ContentSecurityPolicy { get; }

    /// <summary>Null when named ancestors make the header unable to say the same as the CSP.</summary>
    public string? XFrameOptions { get; }

    /// <summary>Parses `--frame-ancestor` values: http(s) origins, the host optionally `*.`-wildcarded.</summary>
    public static bool TryParse(IEnumerable<string> entries, [NotNullWhen(true)] out FramingPolicy? policy, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var ancestors = new List<string>();
        foreach (var entry in entries)
        {
            var trimmed = entry.Trim().TrimEnd('/');
            if (!AncestorOrigin().IsMatch(trimmed))
            {
                policy = null;
                error = $"'{entry}' is not an origin a page may be framed by; use scheme://host[:port] such as https://portal.example.com or https://*.example.com";
                return false;
            }

            ancestors.Add(trimmed.ToLowerInvariant());
        }

        policy = ancestors.Count == 0 ? SameOrigin : new FramingPolicy(ancestors);
        error = null;
        return true;
    }

    [GeneratedRegex(@"^https?://(\*\.)?([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex AncestorOrigin();
}
