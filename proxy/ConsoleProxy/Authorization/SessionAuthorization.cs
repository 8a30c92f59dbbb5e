using System.Net;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using Microsoft.AspNetCore.Http;

namespace ConsoleProxy.Authorization;

/// <summary>
/// The answer to "may this request open a console": refused (with the HTTP status and the reason), or admitted with
/// the token's record, either granted with the endpoint to dial or unreachable because the target's name does not
/// resolve (reported after the upgrade as 4005 so the browser sees why). Each case holds exactly what it knows, so
/// a reader matches on the case instead of trusting that a nullable is set.
/// </summary>
public abstract record SessionAuthorization
{
    // Closed: the cases below are all there are.
    private SessionAuthorization()
    {
    }

    public static Refused Forbidden(AuthorizationFailure failure, string reason, TokenHash? hash = null) =>
        new(StatusCodes.Status403Forbidden, failure, reason, hash);

    public static Refused Unavailable(AuthorizationFailure failure, string reason) =>
        new(StatusCodes.Status503ServiceUnavailable, failure, reason, null);

    /// <param name="StatusCode">The HTTP status of the refusal (403, 503).</param>
    /// <param name="Failure">The metric label.</param>
    /// <param name="Reason">Why, safe to show (never contains the token).</param>
    /// <param name="TokenHash">The token's hash when it was read (for the log), else null.</param>
    public sealed record Refused(int StatusCode, AuthorizationFailure Failure, string Reason, TokenHash? TokenHash) : SessionAuthorization;

    /// <summary>The token opens this console; <see cref="Granted"/> or <see cref="Unreachable"/> says whether its target resolved.</summary>
    public abstract record Admitted : SessionAuthorization
    {
        private protected Admitted(TokenHash tokenHash, TokenRecord record)
        {
            TokenHash = tokenHash;
            Record = record;
        }

        public TokenHash TokenHash { get; }

        public TokenRecord Record { get; }
    }

    public sealed record Granted(TokenHash TokenHash, TokenRecord Record, IPEndPoint EndPoint) : Admitted(TokenHash, Record);

    /// <param name="Reason">Why the target cannot be reached, safe to show.</param>
    public sealed record Unreachable(TokenHash TokenHash, TokenRecord Record, string Reason) : Admitted(TokenHash, Record);
}
