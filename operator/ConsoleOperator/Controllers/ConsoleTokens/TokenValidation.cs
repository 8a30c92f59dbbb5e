using ConsoleOperator.Api.Proxies;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>The verdict on a ConsoleToken against its proxy: what to mint, or exactly why not.</summary>
public sealed record TokenValidation
{
    private TokenValidation()
    {
    }

    public bool IsValid => Reason is null;

    /// <summary>Null when valid; one of <see cref="ConsoleTokenReasons"/> otherwise.</summary>
    public string? Reason { get; private init; }

    public string Message { get; private init; } = string.Empty;

    /// <summary>The proxy to mint for (when valid).</summary>
    public ConsoleProxyResource? Proxy { get; private init; }

    /// <summary>The token's lifetime (when valid).</summary>
    public TimeSpan Lifetime { get; private init; }

    /// <summary>
    /// The latest instant the token may expire at, whatever its lifetime (a share's: the expiry of the token it shares,
    /// so a share never outlives the console's own link); null when only <see cref="Lifetime"/> bounds it.
    /// </summary>
    public DateTimeOffset? NotAfter { get; private init; }

    /// <summary>When a refusal may pass later without any object changing (a DNS failure): check again after this.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>This verdict, with the token expiring no later than <paramref name="latest"/> (the earlier bound wins).</summary>
    public TokenValidation ExpiringNoLaterThan(DateTimeOffset latest) =>
        this with { NotAfter = NotAfter is { } current && current < latest ? current : latest };

    /// <summary>The lifetime of a token minted at <paramref name="now"/>: <see cref="Lifetime"/>, cut to end at <see cref="NotAfter"/>.</summary>
    public TimeSpan LifetimeAt(DateTimeOffset now) => NotAfter is { } latest && latest - now < Lifetime ? latest - now : Lifetime;

    public static TokenValidation Valid(ConsoleProxyResource proxy, TimeSpan lifetime, string message) =>
        new() { Proxy = proxy, Lifetime = lifetime, Message = message };

    public static TokenValidation Invalid(string reason, string message, TimeSpan? retryAfter = null) =>
        new() { Reason = reason, Message = message, RetryAfter = retryAfter };
}
