using Microsoft.AspNetCore.Http;

namespace ConsoleProxy.Authorization;

/// <summary>
/// Where a WebSocket request carries its token: the query `token` (noVNC's `path=websockify?token=`
/// and nova's `path=?token=` both end up there), else a `token` cookie (websockify's and nova's
/// fallback for clients that cannot put it in the URL).
/// </summary>
public static class RequestToken
{
    public const string Name = "token";

    // Minted tokens are 43 characters; anything this long is garbage and not worth hashing.
    private const int MaxLength = 512;

    /// <summary>The token, or null with <paramref name="problem"/> saying why there is none to look up.</summary>
    public static string? Read(HttpRequest request, out string problem)
    {
        var fromQuery = request.Query[Name].ToString();
        var token = !string.IsNullOrEmpty(fromQuery) ? fromQuery : request.Cookies[Name];
        if (string.IsNullOrWhiteSpace(token))
        {
            problem = "token missing";
            return null;
        }

        if (token.Length > MaxLength)
        {
            problem = $"token too long (more than {MaxLength} characters; a console token has 43)";
            return null;
        }

        problem = string.Empty;
        return token.Trim();
    }
}
