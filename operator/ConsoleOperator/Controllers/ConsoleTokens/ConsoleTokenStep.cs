using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>The one thing a reconcile of a ConsoleToken does next, as <see cref="ConsoleTokenDecisions"/> decides it.</summary>
public abstract record ConsoleTokenStep
{
    private ConsoleTokenStep()
    {
    }

    /// <summary>The validator refused the token: say why in the status, write nothing anywhere else.</summary>
    public sealed record MarkInvalid(TokenValidation Verdict) : ConsoleTokenStep;

    /// <summary>Create the Secret with a new token for the verdict's proxy and lifetime, then activate it.</summary>
    public sealed record Mint(TokenValidation Verdict) : ConsoleTokenStep;

    /// <summary>Make sure the hash is in the proxy's store and the status says Active until the expiry.</summary>
    public sealed record Activate(MintedToken Minted, ConsoleProxyResource Proxy) : ConsoleTokenStep;

    /// <summary>A Secret of the same name belongs to another object: wait, Pending, until it is gone.</summary>
    public sealed record WaitForSecret(string Message) : ConsoleTokenStep;

    /// <summary>Move the token to Expired or Revoked for good (revoking what may still be live).</summary>
    public sealed record End(ConsoleTokenPhase Phase, string Reason, string Message, MintedToken? Minted) : ConsoleTokenStep;

    /// <summary>The token ended: delete it at <paramref name="DeleteAt"/> (ttlSecondsAfterExpiry after it ended).</summary>
    public sealed record Collect(DateTimeOffset DeleteAt) : ConsoleTokenStep;
}
