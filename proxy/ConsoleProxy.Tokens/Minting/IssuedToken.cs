using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.Tokens.Urls;

namespace ConsoleProxy.Tokens.Minting;

/// <summary>
/// A token as it is issued: the one place tokens are minted, for the operator (a ConsoleToken) and `consoleproxy token
/// create` alike. It holds the raw token, its hash (what the store keys the record by) and its expiry, rounded down
/// to the whole second so a Secret, a status and the store all state the same instant. The raw token is never
/// printed by <see cref="ToString"/> (records end up in logs and assertion messages).
/// </summary>
public sealed record IssuedToken
{
    private IssuedToken(string token, DateTimeOffset expiresAt)
    {
        Token = token;
        Hash = TokenHash.Of(token);
        ExpiresAt = expiresAt;
    }

    public string Token { get; }

    public TokenHash Hash { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>A new random token expiring <paramref name="lifetime"/> after <paramref name="now"/> (see <see cref="ExpiryAfter"/>).</summary>
    public static IssuedToken Mint(DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        return new IssuedToken(AccessToken.Mint(), ExpiryAfter(now, lifetime));
    }

    /// <summary>A token read back (from a ConsoleToken's Secret) with the expiry it was issued with.</summary>
    public static IssuedToken Of(string token, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new IssuedToken(token, expiresAt.ToUniversalTime());
    }

    /// <summary>The expiry of a token minted at <paramref name="now"/>: UTC, rounded down to the whole second.</summary>
    public static DateTimeOffset ExpiryAfter(DateTimeOffset now, TimeSpan lifetime)
    {
        var expiry = now.ToUniversalTime() + lifetime;
        return new DateTimeOffset(expiry.Ticks - (expiry.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>The flags of a token's record.</summary>
    public static TokenFlags Flags(bool singleUse, bool viewOnly) =>
        (singleUse ? TokenFlags.SingleUse : TokenFlags.None) | (viewOnly ? TokenFlags.ViewOnly : TokenFlags.None);

    /// <summary>The access URL of this token on the proxy at <paramref name="baseUrl"/>, for a console of <paramref name="kind"/>.</summary>
    public string UrlAt(string baseUrl, ConsoleKind kind) => AccessUrl.Build(baseUrl, Token, kind);

    /// <summary>The URL of this token's console: the image URL (<see cref="AccessUrl.BuildScreenshot"/>) for a screenshot-only token, else the page's.</summary>
    public string UrlAt(string baseUrl, ConsoleKind kind, bool screenshotOnly) =>
        screenshotOnly ? AccessUrl.BuildScreenshot(baseUrl, Token) : UrlAt(baseUrl, kind);

    /// <summary>
    /// The record the store keeps under <see cref="Hash"/> for <paramref name="target"/>: what the token opens and
    /// until when. A <paramref name="maxSessions"/> of 0 or less leaves the default (unlimited, one when single-use).
    /// </summary>
    public TokenRecord RecordFor(ConsoleTarget target, TokenFlags flags, ConsoleKind kind, int? maxSessions = null, bool screenshotOnly = false) =>
        new(target, ExpiresAt, flags, Kind: kind) { MaxSessions = maxSessions is > 0 ? maxSessions : null, IsScreenshotOnly = screenshotOnly };

    public override string ToString() => $"token {Hash.ShortForm} expiring {ExpiresAt:O}";
}
