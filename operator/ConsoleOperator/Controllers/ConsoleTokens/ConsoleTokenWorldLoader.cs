using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Informers;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>Loads a <see cref="ConsoleTokenWorld"/>: once per reconcile, from the caches (and the server only where they may trail).</summary>
public sealed class ConsoleTokenWorldLoader
{
    private readonly InformerCache<ConsoleProxyResource> _proxies;
    private readonly InformerCache<ConsoleTokenResource> _tokens;
    private readonly ConsoleTokenSecrets _secrets;
    private readonly ConsoleTokenValidator _validator;

    /// <param name="tokens">ConsoleTokens, for the token a share (spec.shareOf) names.</param>
    public ConsoleTokenWorldLoader(InformerCache<ConsoleProxyResource> proxies, InformerCache<ConsoleTokenResource> tokens, ConsoleTokenSecrets secrets, ConsoleTokenValidator validator)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(validator);
        _proxies = proxies;
        _secrets = secrets;
        _validator = validator;
    }

    public async Task<ConsoleTokenWorld> LoadAsync(ConsoleTokenResource token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var proxy = _proxies.Get(ConsoleTokenFacts.ProxyKey(token));
        var secret = await _secrets.FindAsync(token, ConsoleTokenDecisions.LooksUpSecretOnServer(token), cancellationToken);
        string? problem = null;
        var minted = secret is not null && OwnerReferences.IsControlledBy(secret, token) ? ConsoleTokenSecret.Read(secret, out problem) : null;
        // The verdict may resolve the target in DNS: only for a token that is still to be minted.
        var verdict = ConsoleTokenDecisions.NeedsVerdict(token, secret is not null)
            ? await VerdictAsync(token, proxy, cancellationToken)
            : null;
        return new ConsoleTokenWorld(token, proxy, secret, minted, problem, verdict);
    }

    /// <summary>
    /// The validator's verdict; for a share, first why it may not be minted yet (the token it shares is missing, not
    /// Active, or another console), and when it may, expiring no later than the token it shares.
    /// </summary>
    private async Task<TokenValidation> VerdictAsync(ConsoleTokenResource token, ConsoleProxyResource? proxy, CancellationToken cancellationToken)
    {
        if (token.Spec.ShareOf is not { } name)
        {
            return await _validator.ValidateAsync(token, proxy, cancellationToken);
        }

        var shared = _tokens.Get(token.Metadata.NamespaceProperty ?? string.Empty, name);
        return ShareCheck.Check(token, shared) ?? ShareCheck.NoLaterThanShared(await _validator.ValidateAsync(token, proxy, cancellationToken), shared!);
    }
}
