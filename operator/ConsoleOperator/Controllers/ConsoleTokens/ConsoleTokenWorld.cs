using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Everything one reconcile of a ConsoleToken decides from, loaded once at its start (see
/// <see cref="ConsoleTokenWorldLoader"/>): the token, the proxy it names, its Secret and the token in it, and, for a
/// token not minted yet, the validator's verdict.
/// </summary>
/// <param name="Token">The live ConsoleToken.</param>
/// <param name="Proxy">The ConsoleProxy it names, from the informer cache; null when there is none.</param>
/// <param name="Secret">Its Secret <c>&lt;name&gt;-console</c>; null when there is none.</param>
/// <param name="Minted">The token in the Secret, when the Secret is this ConsoleToken's and readable.</param>
/// <param name="SecretProblem">Why a Secret of this ConsoleToken could not be read (when <paramref name="Minted"/> is null).</param>
/// <param name="Verdict">The validator's verdict; only for a token without a Secret that was never minted.</param>
public sealed record ConsoleTokenWorld(
    ConsoleTokenResource Token,
    ConsoleProxyResource? Proxy,
    V1Secret? Secret,
    MintedToken? Minted,
    string? SecretProblem,
    TokenValidation? Verdict);
