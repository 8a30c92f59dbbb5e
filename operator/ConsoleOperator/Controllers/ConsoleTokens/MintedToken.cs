using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// A raw console token with its access URL and absolute expiry: what the ConsoleToken's Secret holds. The record
/// never prints the token (it ends up in assertion messages and logs); only <see cref="Hash"/> may be shown.
/// </summary>
public sealed record MintedToken
{
    private MintedToken(IssuedToken issued, string url)
    {
        Issued = issued;
        Url = url;
    }

    /// <summary>The token as the shared minting code issued it (hash, expiry, its store record).</summary>
    public IssuedToken Issued { get; }

    public string Token => Issued.Token;

    /// <summary>The full access URL, token included (for a screenshot-only token, the image URL).</summary>
    public string Url { get; }

    public DateTimeOffset ExpiresAt => Issued.ExpiresAt;

    public TokenHash Hash => Issued.Hash;

    /// <summary>The page to open without the token: what the ConsoleToken's status may show.</summary>
    public string PageUrl => Url[..Url.IndexOf('?', StringComparison.Ordinal)];

    /// <summary>
    /// A new token for the proxy's public URL, expiring <paramref name="lifetime"/> after <paramref name="now"/>
    /// (rounded down to the whole second by <see cref="IssuedToken.Mint"/>, as `consoleproxy token create` does).
    /// </summary>
    public static MintedToken Mint(string publicUrl, DateTimeOffset now, TimeSpan lifetime, ConsoleKind kind = ConsoleKind.Vnc, bool screenshotOnly = false)
    {
        var issued = IssuedToken.Mint(now, lifetime);
        return new MintedToken(issued, issued.UrlAt(publicUrl, kind, screenshotOnly));
    }

    /// <summary>A token read back from its Secret.</summary>
    public static MintedToken Of(string token, string url, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!url.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException("an access URL carries its token in the query", nameof(url));
        }

        return new MintedToken(IssuedToken.Of(token, expiresAt), url);
    }

    public override string ToString() => $"token {Hash.ShortForm} expiring {ExpiresAt:O}";
}
