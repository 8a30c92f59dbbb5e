using System.Net;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using Microsoft.AspNetCore.Http;

namespace ConsoleProxy.Authorization;

/// <summary>
/// The answer to "may this request open a console": granted with the endpoint to dial, granted
/// but the target cannot be resolved (reported after the upgrade as 4005 so the browser sees
/// why), or refused with the HTTP status and a short reason for the response body.
/// </summary>
public sealed record SessionAuthorization
{
    private SessionAuthorization()
    {
    }

    public int StatusCode { get; private init; } = StatusCodes.Status200OK;

    /// <summary>Why it was refused or is unreachable; safe to show (never contains the token).</summary>
    public string? Reason { get; private init; }

    /// <summary>The metric label of a refusal; null when granted or unreachable.</summary>
    public AuthorizationFailure? Failure { get; private init; }

    public TokenHash? TokenHash { get; private init; }

    public TokenRecord? Record { get; private init; }

    public IPEndPoint? EndPoint { get; private init; }

    public bool IsRefused => StatusCode != StatusCodes.Status200OK;

    public static SessionAuthorization Granted(TokenHash hash, TokenRecord record, IPEndPoint endPoint) =>
        new() { TokenHash = hash, Record = record, EndPoint = endPoint };

    public static SessionAuthorization Unreachable(TokenHash hash, TokenRecord record, string reason) =>
        new() { TokenHash = hash, Record = record, Reason = reason };

    public static SessionAuthorization Forbidden(AuthorizationFailure failure, string reason, TokenHash? hash = null) =>
        new() { StatusCode = StatusCodes.Status403Forbidden, Failure = failure, Reason = reason, TokenHash = hash };

    public static SessionAuthorization Unavailable(AuthorizationFailure failure, string reason) =>
        new() { StatusCode = StatusCodes.Status503ServiceUnavailable, Failure = failure, Reason = reason };
}
