using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Urls;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// A raw console token with its access URL and absolute expiry: what the ConsoleToken's Secret holds. The record
/// never prints the token (it ends up in assertion messages and logs); only <see cref="Hash"/> may be shown.
/// </summary>
public sealed record MintedToken
{
    private MintedToken(string token, string url, DateTimeOffset expiresAt)
    {
        Token = token;
        Url = url;
        ExpiresAt = expiresAt;
        Hash = TokenHash.Of(token);
    }

    public string Token { get; }

    /// <summary>The full access URL, token included.</summary>
    public string Url { get; }

    public DateTimeOffset ExpiresAt { get; }

    public TokenHash Hash { get; }

    /// <summary>The page to open without the token: what the ConsoleToken's status may show.</summary>
    public string PageUrl => Url[..Url.IndexOf('?', StringComparison.Ordinal)];

    /// <summary>
    /// A new token for the proxy's public URL, expiring <paramref name="lifetime"/> after <paramref name="now"/>,
    /// rounded down to the whole second so the Secret, the status and Redis all state the same instant.
    /// </summary>
    public static MintedToken Mint(string publicUrl, DateTimeOffset now, TimeSpan lifetime, ConsoleKind kind = ConsoleKind.Vnc)
    {
        var expiry = now.ToUniversalTime() + lifetime;
        expiry = new DateTimeOffset(expiry.Ticks - (expiry.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var token = AccessToken.Mint();
        return new MintedToken(token, AccessUrl.Build(publicUrl, token, kind), expiry);
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

        return new MintedToken(token, url, expiresAt.ToUniversalTime());
    }

    public override string ToString() => $"token {Hash.ShortForm} expiring {ExpiresAt:O}";
}
