using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Computes a ConsoleToken's status for each outcome of a reconcile. Pure apart from the clock, which only stamps a
/// condition whose status flips (the current conditions carry their transition times over otherwise). Only a token
/// that talks to a store says whether the store is reachable; the fields of the minted token (expiresAt, secretName,
/// url: never the token itself) are there exactly while there is one.
/// </summary>
public static class ConsoleTokenStatusBuilder
{
    private const string ActiveMessage = "the URL in the Secret opens the console until expiresAt";
    private const string WaitingMessage = "waiting for the proxy's token store to mint the token";

    /// <summary>The hash is in the proxy's store: the URL in the Secret opens the console.</summary>
    public static ConsoleTokenStatus Active(ConsoleTokenResource token, MintedToken minted, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(minted);
        return Compose(token, ConsoleTokenPhase.Active,
            Ready(token, ConditionStatus.True, ConsoleTokenReasons.Minted, ActiveMessage),
            Store(token, ConditionStatus.True, ConsoleTokenReasons.Connected, "the token is stored in the proxy's token store"),
            MintedFields.Of(token, minted), time);
    }

    /// <summary>The validator refused the token: nothing was minted.</summary>
    public static ConsoleTokenStatus Invalid(ConsoleTokenResource token, TokenValidation verdict, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.IsValid)
        {
            throw new ArgumentException("a valid verdict is no reason to mark a token Invalid", nameof(verdict));
        }

        return Compose(token, ConsoleTokenPhase.Invalid, Ready(token, ConditionStatus.False, verdict.Reason!, verdict.Message), null, MintedFields.None, time);
    }

    /// <summary>Expired or Revoked for good; <paramref name="minted"/> is the token that ended, when its Secret could be read.</summary>
    public static ConsoleTokenStatus Ended(ConsoleTokenResource token, ConsoleTokenPhase phase, string reason, string message, MintedToken? minted, TimeProvider time)
    {
        if (phase is not (ConsoleTokenPhase.Expired or ConsoleTokenPhase.Revoked))
        {
            throw new ArgumentException($"a token ends Expired or Revoked, not {phase}", nameof(phase));
        }

        return Compose(token, phase, Ready(token, ConditionStatus.False, reason, message), null, minted is null ? MintedFields.None : MintedFields.Of(token, minted), time);
    }

    /// <summary>A Secret of the token's name belongs to another object: Pending until it goes.</summary>
    public static ConsoleTokenStatus SecretConflict(ConsoleTokenResource token, string message, TimeProvider time) =>
        Compose(token, ConsoleTokenPhase.Pending, Ready(token, ConditionStatus.False, ConsoleTokenReasons.SecretConflict, message), null, MintedFields.None, time);

    /// <summary>
    /// The store did not answer. An Active token stays Active (its hash was stored before; the proxy may still reach
    /// the store): <paramref name="minted"/> is its token; a token being minted waits, Pending.
    /// </summary>
    public static ConsoleTokenStatus StoreUnreachable(ConsoleTokenResource token, MintedToken? minted, string message, TimeProvider time) =>
        StoreUnreachable(token, minted, ConsoleTokenReasons.TokenStoreUnreachable, message, time);

    /// <summary>
    /// The store did not serve the token: away (<see cref="ConsoleTokenReasons.TokenStoreUnreachable"/>) or refusing
    /// the ConsoleProxy's settings (<paramref name="reason"/> is then the refusal's, as on the ConsoleProxy's
    /// TokenStoreReady: AuthenticationFailed, SentinelMasterUnknown, TlsVerificationFailed, ClusterModeUnsupported).
    /// </summary>
    public static ConsoleTokenStatus StoreUnreachable(ConsoleTokenResource token, MintedToken? minted, string reason, string message, TimeProvider time) =>
        StoreProblem(token, minted is null ? MintedFields.None : MintedFields.Of(token, minted), reason, message, time);

    /// <summary>The proxy's store settings cannot be used. An Active token keeps its status fields as they are.</summary>
    public static ConsoleTokenStatus StoreMisconfigured(ConsoleTokenResource token, string message, TimeProvider time) =>
        StoreMisconfigured(token, ConsoleTokenReasons.TokenStoreMisconfigured, message, time);

    /// <summary>The proxy's store settings cannot be used, for <paramref name="reason"/>; an Active token keeps its status fields.</summary>
    public static ConsoleTokenStatus StoreMisconfigured(ConsoleTokenResource token, string reason, string message, TimeProvider time) =>
        StoreProblem(token, MintedFields.Current(token), reason, message, time);

    private static ConsoleTokenStatus StoreProblem(ConsoleTokenResource token, MintedFields activeFields, string reason, string message, TimeProvider time)
    {
        var store = Store(token, ConditionStatus.False, reason, message);
        return IsActive(token)
            ? Compose(token, ConsoleTokenPhase.Active, Ready(token, ConditionStatus.True, ConsoleTokenReasons.Minted, ActiveMessage), store, activeFields, time)
            : Compose(token, ConsoleTokenPhase.Pending, Ready(token, ConditionStatus.False, reason, WaitingMessage), store, MintedFields.None, time);
    }

    private static bool IsActive(ConsoleTokenResource token) => token.Status?.Phase == ConsoleTokenPhase.Active;

    private static ConsoleTokenStatus Compose(ConsoleTokenResource token, ConsoleTokenPhase phase, V1Condition ready, V1Condition? store, MintedFields minted, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(time);
        var conditions = StatusConditions.Merge(token.Status?.Conditions, store is null ? [ready] : [ready, store], time);
        if (store is null)
        {
            conditions.RemoveAll(condition => condition.Type == ConsoleTokenConditions.TokenStoreReachable);
        }

        return new ConsoleTokenStatus
        {
            Phase = phase,
            ExpiresAt = minted.ExpiresAt,
            SecretName = minted.SecretName,
            Url = minted.Url,
            ObservedGeneration = token.Metadata.Generation,
            Conditions = conditions,
        };
    }

    private static V1Condition Ready(ConsoleTokenResource token, string status, string reason, string message) =>
        Condition(token, ConsoleTokenConditions.Ready, status, reason, message);

    private static V1Condition Store(ConsoleTokenResource token, string status, string reason, string message) =>
        Condition(token, ConsoleTokenConditions.TokenStoreReachable, status, reason, message);

    private static V1Condition Condition(ConsoleTokenResource token, string type, string status, string reason, string message) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        ObservedGeneration = token.Metadata.Generation,
    };

    /// <summary>The status fields that describe the minted token.</summary>
    private sealed record MintedFields(DateTimeOffset? ExpiresAt, string? SecretName, string? Url)
    {
        public static MintedFields None { get; } = new(null, null, null);

        public static MintedFields Of(ConsoleTokenResource token, MintedToken minted) => new(minted.ExpiresAt, ConsoleTokenSecret.NameFor(token), minted.PageUrl);

        public static MintedFields Current(ConsoleTokenResource token) => new(token.Status?.ExpiresAt, token.Status?.SecretName, token.Status?.Url);
    }
}
