using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Conditions;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// The ConsoleToken lifecycle as pure functions of what a reconcile saw and the time: Pending → (Invalid | Active) →
/// (Expired | Revoked) → deleted ttlSecondsAfterExpiry later. No I/O here, so every branch is a unit test.
/// </summary>
public static class ConsoleTokenDecisions
{
    /// <summary>Whether the world of <paramref name="token"/> needs the validator's verdict: only a token never minted.</summary>
    public static bool NeedsVerdict(ConsoleTokenResource token, bool hasSecret)
    {
        ArgumentNullException.ThrowIfNull(token);
        return !hasSecret && token.Status?.Phase is not (ConsoleTokenPhase.Active or ConsoleTokenPhase.Expired or ConsoleTokenPhase.Revoked);
    }

    /// <summary>Whether the token's Secret is looked up on the server when the cache has none (it may trail our own create).</summary>
    public static bool LooksUpSecretOnServer(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Status?.SecretName is not null || IsEnded(token);
    }

    public static bool IsEnded(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Status?.Phase is ConsoleTokenPhase.Expired or ConsoleTokenPhase.Revoked;
    }

    /// <summary>The next step for a live (not terminating) token.</summary>
    public static ConsoleTokenStep Next(ConsoleTokenWorld world, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(world);
        var token = world.Token;
        if (IsEnded(token))
        {
            return new ConsoleTokenStep.Collect(CollectAt(token, now));
        }

        if (world.Secret is not { } secret)
        {
            if (token.Status?.Phase is ConsoleTokenPhase.Active)
            {
                // The token is out there but its Secret is gone: minting another would make two live tokens.
                return new ConsoleTokenStep.End(ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDeleted,
                    $"the Secret {ConsoleTokenSecret.NameFor(token)} holding the token was deleted; create a new ConsoleToken", null);
            }

            var verdict = world.Verdict
                ?? throw new ArgumentException($"the world of ConsoleToken {ConsoleTokenFacts.Describe(token)} has no Secret and no verdict", nameof(world));
            return verdict.IsValid ? new ConsoleTokenStep.Mint(verdict) : new ConsoleTokenStep.MarkInvalid(verdict);
        }

        if (!OwnerReferences.IsControlledBy(secret, token))
        {
            return new ConsoleTokenStep.WaitForSecret(
                $"Secret {secret.Metadata.Name} exists and is not this ConsoleToken's (a previous object of the same name may still be being deleted)");
        }

        if (world.Minted is not { } minted)
        {
            return new ConsoleTokenStep.End(ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDamaged,
                world.SecretProblem ?? $"Secret {secret.Metadata.Name} cannot be read", null);
        }

        if (secret.Metadata.DeletionTimestamp is not null)
        {
            // Someone deleted the Secret: the URL in it is revoked rather than left live without a holder.
            return new ConsoleTokenStep.End(ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDeleted,
                $"the Secret {secret.Metadata.Name} holding the token was deleted, so the token was revoked; create a new ConsoleToken", minted);
        }

        if (now >= minted.ExpiresAt)
        {
            return new ConsoleTokenStep.End(ConsoleTokenPhase.Expired, ConsoleTokenReasons.Expired, $"the token expired at {minted.ExpiresAt:O}", minted);
        }

        if (world.Proxy is not { } proxy)
        {
            return new ConsoleTokenStep.End(ConsoleTokenPhase.Revoked, ConsoleTokenReasons.ProxyDeleted,
                $"ConsoleProxy {ConsoleTokenFacts.ProxyKey(token)} was deleted; its consoles are gone with it", minted);
        }

        return new ConsoleTokenStep.Activate(minted, proxy);
    }

    /// <summary>
    /// When an ended token is deleted: ttlSecondsAfterExpiry after its expiry (Expired) or after it was revoked (the
    /// Ready condition's transition); from now when neither is known.
    /// </summary>
    public static DateTimeOffset CollectAt(ConsoleTokenResource token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var since = token.Status?.Phase == ConsoleTokenPhase.Expired && token.Status.ExpiresAt is { } expiry
            ? expiry
            : StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.LastTransitionTime ?? now;
        return since + TimeSpan.FromSeconds(token.Spec.TtlSecondsAfterExpiry);
    }
}
