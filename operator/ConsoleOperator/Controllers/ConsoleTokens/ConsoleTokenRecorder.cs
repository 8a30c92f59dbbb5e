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
    private readonly EventRecorder _events;
    private readonly TokenMetrics? _metrics;
    private readonly ILogger _logger;

    /// <param name="events">Records the Events.</param>
    /// <param name="metrics">The token metrics; null when none are exported.</param>
    /// <param name="logger">The controller's log.</param>
    public ConsoleTokenRecorder(EventRecorder events, TokenMetrics? metrics, ILogger<ConsoleTokenController> logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(logger);
        _events = events;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The token became Active; <paramref name="duration"/> from the start of minting (zero when minted in an earlier pass).</summary>
    public void Minted(ConsoleTokenResource token, MintedToken minted, TimeSpan duration)
    {
        var proxy = ConsoleTokenFacts.ProxyKey(token);
        _logger.LogInformation("ConsoleToken {ConsoleToken}: minted {Hash}, expires {ExpiresAt:O}", ConsoleTokenFacts.Describe(token), minted.Hash.ShortForm, minted.ExpiresAt);
        _events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Minted, "Mint",
            $"minted {minted.Hash.ShortForm} for {ConsoleTokenFacts.Target(token)} via ConsoleProxy {proxy}, expires {minted.ExpiresAt:O}");
        _metrics?.Minted(duration);
    }

    public void Invalid(ConsoleTokenResource token, TokenValidation verdict)
    {
        _logger.LogInformation("ConsoleToken {ConsoleToken} is invalid ({Reason}): {Message}", ConsoleTokenFacts.Describe(token), verdict.Reason, verdict.Message);
        _events.Record(token, EventTypes.Warning, verdict.Reason!, "Validate", verdict.Message);
        _metrics?.Invalid(verdict.Reason!);
    }

    /// <summary>The token moved to Expired or Revoked.</summary>
    public void Ended(ConsoleTokenResource token, ConsoleTokenPhase phase, string reason, string message)
    {
        _logger.LogInformation("ConsoleToken {ConsoleToken}: {Phase} ({Reason})", ConsoleTokenFacts.Describe(token), phase, reason);
        var expired = phase == ConsoleTokenPhase.Expired;
        _events.Record(token, expired ? EventTypes.Normal : EventTypes.Warning, reason, expired ? "Expire" : "Revoke", message);
        if (expired)
        {
            _metrics?.Expired();
        }
        else
        {
            _metrics?.Revoked();
        }
    }

    /// <summary>A deleted token's live hash was revoked.</summary>
    public void Revoked(ConsoleTokenResource token, MintedToken minted)
    {
        _events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Revoked, "Revoke",
            $"revoked {minted.Hash.ShortForm}: live sessions through ConsoleProxy {ConsoleTokenFacts.ProxyKey(token)} are closed");
        _metrics?.Revoked();
    }

    /// <summary>An Active token's hash was missing from the store and was written again.</summary>
    public void Restored(ConsoleTokenResource token, MintedToken minted)
    {
        _logger.LogWarning("ConsoleToken {ConsoleToken}: {Hash} was missing from the token store; written again", ConsoleTokenFacts.Describe(token), minted.Hash.ShortForm);
        _metrics?.Restored();
        _events.Record(token, EventTypes.Normal, ConsoleTokenReasons.Restored, "Restore",
            $"{minted.Hash.ShortForm} was missing from the token store of ConsoleProxy {ConsoleTokenFacts.ProxyKey(token)} and was written again");
    }

    public void StoreUnreachable(ConsoleTokenResource token, string message) =>
        _logger.LogWarning("ConsoleToken {ConsoleToken}: token store unreachable, retrying: {Message}", ConsoleTokenFacts.Describe(token), message);

    public void StoreMisconfigured(ConsoleTokenResource token, string message) =>
        _logger.LogWarning("ConsoleToken {ConsoleToken}: cannot reach the token store of ConsoleProxy {Proxy}: {Message}", ConsoleTokenFacts.Describe(token), ConsoleTokenFacts.ProxyKey(token), message);

    /// <summary>An ended token was deleted ttlSecondsAfterExpiry after it ended.</summary>
    public void Collected(ConsoleTokenResource token) =>
        _logger.LogInformation("ConsoleToken {ConsoleToken}: deleted {Seconds}s after it ended", ConsoleTokenFacts.Describe(token), token.Spec.TtlSecondsAfterExpiry);
}
