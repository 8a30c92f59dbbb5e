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

    public static string? Read(HttpRequest request)
    {
        var fromQuery = request.Query[Name].ToString();
        var token = !string.IsNullOrEmpty(fromQuery) ? fromQuery : request.Cookies[Name];
        return string.IsNullOrWhiteSpace(token) || token.Length > MaxLength ? null : token.Trim();
    }
}
