using ConsoleOperator.Api.Tokens;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Whether a ConsoleToken with spec.shareOf may be minted: the token it shares must exist in its namespace, be Active,
/// and name the same ConsoleProxy, console kind and target; a share of a screenshot-only token is screenshot-only too. Checked only before minting (like the rest of the
/// verdict): a share that is Active keeps working by its own TTL whatever happens to the token it shares later,
/// since it is a token of its own (delete it to end it). Pure, so every answer is a unit test.
/// </summary>
public static class ShareCheck
{
    /// <summary>How soon a share whose token is not Active yet is checked again.</summary>
    public static readonly TimeSpan NotActiveRetry = TimeSpan.FromSeconds(10);

    /// <summary>Null when <paramref name="share"/> may be minted; otherwise the verdict saying why not.</summary>
    /// <param name="share">The token with spec.shareOf.</param>
    /// <param name="shared">The token it names, from the informer cache; null when there is none.</param>
    public static TokenValidation? Check(ConsoleTokenResource share, ConsoleTokenResource? shared)
    {
        ArgumentNullException.ThrowIfNull(share);
        var name = share.Spec.ShareOf ?? throw new ArgumentException("the token shares nothing (no spec.shareOf)", nameof(share));
        var described = $"ConsoleToken {share.Metadata.NamespaceProperty}/{name} (spec.shareOf)";
        if (shared is null || shared.Metadata.DeletionTimestamp is not null)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.ShareOfNotActive,
                $"{described} does not exist; this share is minted once it exists and is Active", NotActiveRetry);
        }

        if (shared.Status?.Phase != ConsoleTokenPhase.Active)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.ShareOfNotActive,
                $"{described} is {shared.Status?.Phase?.ToString() ?? "Pending"}, not Active; this share is minted once it is Active", NotActiveRetry);
        }

        if (ConsoleTokenFacts.ProxyKey(shared) != ConsoleTokenFacts.ProxyKey(share))
        {
            return Mismatch(described, "spec.proxyRef", ConsoleTokenFacts.ProxyKey(shared).ToString(), ConsoleTokenFacts.ProxyKey(share).ToString());
        }

        if (ConsoleTokenFacts.Kind(shared) != ConsoleTokenFacts.Kind(share))
        {
            return Mismatch(described, "spec.kind", shared.Spec.Kind, share.Spec.Kind);
        }

        var (mine, theirs) = (share.Spec.Target, shared.Spec.Target);
        if (!string.Equals(mine.Host, theirs.Host, StringComparison.OrdinalIgnoreCase) || mine.Port != theirs.Port || mine.ServerName != theirs.ServerName)
        {
            return Mismatch(described, "spec.target", Describe(theirs), Describe(mine));
        }

        // A share may be narrower than the token it shares (screenshots of a console), never wider: a share of a
        // screenshot-only token that opened a console would hand out more than its owner was given.
        if (shared.Spec.ScreenshotOnly && !share.Spec.ScreenshotOnly)
        {
            return Mismatch(described, "spec.screenshotOnly", "true", "false");
        }

        return null;
    }

    /// <summary>
    /// A share's verdict expiring no later than the token it shares (its status.expiresAt, the same instant its Secret
    /// and its store record hold), so a share never outlives the console's own link; a refusal is left as it is.
    /// </summary>
    public static TokenValidation NoLaterThanShared(TokenValidation verdict, ConsoleTokenResource shared)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(shared);
        return verdict.IsValid && shared.Status?.ExpiresAt is { } expiresAt ? verdict.ExpiringNoLaterThan(expiresAt) : verdict;
    }

    /// <summary>The refusal of a share whose token expired (at <paramref name="expiredAt"/>) before the share was minted.</summary>
    public static TokenValidation SharedExpired(ConsoleTokenResource share, DateTimeOffset expiredAt)
    {
        ArgumentNullException.ThrowIfNull(share);
        return TokenValidation.Invalid(ConsoleTokenReasons.ShareOfNotActive,
            $"ConsoleToken {share.Metadata.NamespaceProperty}/{share.Spec.ShareOf} (spec.shareOf) expired at {expiredAt:O}: a share expires no later than the token it shares, so share a live token");
    }

    private static TokenValidation Mismatch(string described, string field, string theirs, string mine) =>
        TokenValidation.Invalid(ConsoleTokenReasons.ShareMismatch,
            $"{described} has {field} {theirs}, this token {mine}: a share opens the same console, so copy {field} from the token it shares");

    private static string Describe(TargetSpec target) =>
        target.ServerName is { } serverName ? $"{target.Host}:{target.Port} (serverName {serverName})" : $"{target.Host}:{target.Port}";
}
