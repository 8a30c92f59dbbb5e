using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Informers;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>Loads a <see cref="ConsoleTokenWorld"/>: once per reconcile, from the caches (and the server only where they may trail).</summary>
public sealed class ConsoleTokenWorldLoader
{
    private readonly InformerCache<ConsoleProxyResource> proxies;
    private readonly ConsoleTokenSecrets secrets;
    private readonly ConsoleTokenValidator validator;

    public ConsoleTokenWorldLoader(InformerCache<ConsoleProxyResource> proxies, ConsoleTokenSecrets secrets, ConsoleTokenValidator validator)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(validator);
        this.proxies = proxies;
        this.secrets = secrets;
        this.validator = validator;
    }

    public async Task<ConsoleTokenWorld> LoadAsync(ConsoleTokenResource token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var proxy = proxies.Get(ConsoleTokenFacts.ProxyKey(token));
        var secret = await secrets.FindAsync(token, ConsoleTokenDecisions.LooksUpSecretOnServer(token), cancellationToken);
        string? problem = null;
        var minted = secret is not null && OwnerReferences.IsControlledBy(secret, token) ? ConsoleTokenSecret.Read(secret, out problem) : null;
        // The verdict may resolve the target in DNS: only for a token that is still to be minted.
        var verdict = ConsoleTokenDecisions.NeedsVerdict(token, secret is not null)
            ? await validator.ValidateAsync(token, proxy, cancellationToken)
            : null;
        return new ConsoleTokenWorld(token, proxy, secret, minted, problem, verdict);
    }
}
