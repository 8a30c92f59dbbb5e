using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Telemetry;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Tells the outside what happened to a ConsoleToken: an Event on the object for `kubectl describe`, a metric for
/// alerts, a log line for the operator's own story. Only the hash's short form of a token ever appears.
/// </summary>
public sealed class ConsoleTokenRecorder
{
    private readonly IEventRecorder events;
    private readonly TokenMetrics? metrics;
    private readonly ILogger logger;

    /// <param name="events">Records the Events.</param>
    /// <param name="metrics">The token metrics; null when none are exported.</param>
    /// <param name="logger">The controller's log.</param>
    public ConsoleTokenRecorder(IEventRecorder events, TokenMetrics? metrics, ILogger<ConsoleTokenController> logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(logger);
        this.events = events;
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <summary>The token became Active; <paramref name="duration"/> from the start of minting (zero when minted in an earlier pass).</summary>
    public void Minted(ConsoleTokenResource token, MintedToken minted, TimeSpan duration)
    {
        var proxy = ConsoleTokenFacts.ProxyKey(token);
        logger.LogInformation("ConsoleToken {ConsoleToken}: minted {Hash}, expires {ExpiresAt:O}", ConsoleTokenFacts.Describe(token), minted.Hash.ShortForm, minted.ExpiresAt);
        events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Minted, "Mint",
            $"minted {minted.Hash.ShortForm} for {ConsoleTokenFacts.Target(token)} via ConsoleProxy {proxy}, expires {minted.ExpiresAt:O}");
        metrics?.Minted(duration);
    }

    public void Invalid(ConsoleTokenResource token, TokenValidation verdict)
    {
        logger.LogInformation("ConsoleToken {ConsoleToken} is invalid ({Reason}): {Message}", ConsoleTokenFacts.Describe(token), verdict.Reason, verdict.Message);
        events.Record(token, EventTypes.Warning, verdict.Reason!, "Validate", verdict.Message);
        metrics?.Invalid(verdict.Reason!);
    }

    /// <summary>The token moved to Expired or Revoked.</summary>
    public void Ended(ConsoleTokenResource token, ConsoleTokenPhase phase, string reason, string message)
    {
        logger.LogInformation("ConsoleToken {ConsoleToken}: {Phase} ({Reason})", ConsoleTokenFacts.Describe(token), phase, reason);
        var expired = phase == ConsoleTokenPhase.Expired;
        events.Record(token, expired ? EventTypes.Normal : EventTypes.Warning, reason, expired ? "Expire" : "Revoke", message);
        if (expired)
        {
            metrics?.Expired();
        }
        else
        {
            metrics?.Revoked();
        }
    }

    /// <summary>A deleted token's live hash was revoked.</summary>
    public void Revoked(ConsoleTokenResource token, MintedToken minted)
    {
        events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Revoked, "Revoke",
            $"revoked {minted.Hash.ShortForm}: live sessions through ConsoleProxy {ConsoleTokenFacts.ProxyKey(token)} are closed");
        metrics?.Revoked();
    }

    /// <summary>An Active token's hash was missing from the store and was written again.</summary>
    public void Restored(ConsoleTokenResource token, MintedToken minted)
    {
        logger.LogWarning("ConsoleToken {ConsoleToken}: {Hash} was missing from the token store; written again", ConsoleTokenFacts.Describe(token), minted.Hash.ShortForm);
        metrics?.Restored();
        events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Restored, "Restore",
            $"{minted.Hash.ShortForm} was missing from the token store of ConsoleProxy {ConsoleTokenFacts.ProxyKey(token)} and was written again");
    }

    public void StoreUnreachable(ConsoleTokenResource token, string message) =>
        logger.LogWarning("ConsoleToken {ConsoleToken}: token store unreachable, retrying: {Message}", ConsoleTokenFacts.Describe(token), message);

    public void StoreMisconfigured(ConsoleTokenResource token, string message) =>
        logger.LogWarning("ConsoleToken {ConsoleToken}: cannot reach the token store of ConsoleProxy {Proxy}: {Message}", ConsoleTokenFacts.Describe(token), ConsoleTokenFacts.ProxyKey(token), message);

    /// <summary>An ended token was deleted ttlSecondsAfterExpiry after it ended.</summary>
    public void Collected(ConsoleTokenResource token) =>
        logger.LogInformation("ConsoleToken {ConsoleToken}: deleted {Seconds}s after it ended", ConsoleTokenFacts.Describe(token), token.Spec.TtlSecondsAfterExpiry);
}
