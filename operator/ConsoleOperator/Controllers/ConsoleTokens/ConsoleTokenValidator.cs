using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Kinds;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.Tokens.Urls;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Checks a ConsoleToken against the ConsoleProxy it names, in the order a user fixes things: the proxy exists, this
/// namespace may mint for it, the target is well-formed and every address it resolves to is inside the proxy's
/// allowedTargets, the lifetime is within bounds, and the proxy's publicURL can carry an access URL.
/// </summary>
/// <remarks>
/// A lifetime above <c>maxTTLSeconds</c> is refused (<see cref="ConsoleTokenReasons.TTLTooLong"/>), never silently
/// shortened: whoever asked for two hours must not hand out a link that dies after ten minutes without knowing.
/// A target name must resolve only to allowed addresses: the proxy dials whichever one it gets, so one address
/// outside the policy would make the token work or fail at random.
/// </remarks>
public sealed class ConsoleTokenValidator
{
    /// <summary>How soon a token whose target did not resolve is checked again (DNS may just be late).</summary>
    public static readonly TimeSpan ResolveRetry = TimeSpan.FromMinutes(1);

    private readonly ITargetResolver _resolver;

    public ConsoleTokenValidator(ITargetResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
    }

    /// <summary>The namespace of the proxy a token names (its own namespace unless proxyRef says otherwise).</summary>
    public static string ProxyNamespace(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return string.IsNullOrEmpty(token.Spec.ProxyRef.Namespace) ? token.Metadata.NamespaceProperty ?? string.Empty : token.Spec.ProxyRef.Namespace;
    }

    /// <param name="token">The ConsoleToken.</param>
    /// <param name="proxy">Its ConsoleProxy from the informer cache, null when there is none.</param>
    /// <param name="cancellationToken">Cancels the DNS lookup.</param>
    public async Task<TokenValidation> ValidateAsync(ConsoleTokenResource token, ConsoleProxyResource? proxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var proxyName = $"{ProxyNamespace(token)}/{token.Spec.ProxyRef.Name}";
        if (proxy is null)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.ProxyNotFound, $"ConsoleProxy {proxyName} does not exist");
        }

        var tokenNamespace = token.Metadata.NamespaceProperty ?? string.Empty;
        var allowedNamespaces = proxy.Spec.Tokens.Namespaces is { Count: > 0 } listed ? listed : [proxy.Metadata.NamespaceProperty ?? string.Empty];
        if (!allowedNamespaces.Contains("*") && !allowedNamespaces.Contains(tokenNamespace))
        {
            return TokenValidation.Invalid(
                ConsoleTokenReasons.NamespaceNotAllowed,
                $"namespace {tokenNamespace} may not mint tokens for ConsoleProxy {proxyName}; its spec.tokens.namespaces allows: {string.Join(", ", allowedNamespaces)}");
        }

        if (!ConsoleKindNames.TryParse(token.Spec.Kind, out var kind, out var kindError))
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.KindNotServed, kindError);
        }

        if (!ProxyKinds.Serves(proxy.Spec, kind))
        {
            return TokenValidation.Invalid(
                ConsoleTokenReasons.KindNotServed,
                $"ConsoleProxy {proxyName} does not serve {ConsoleKindNames.NameOf(kind)} consoles; it serves {string.Join(", ", ProxyKinds.Of(proxy.Spec).Select(ConsoleKindNames.NameOf))} (its spec.kinds)");
        }

        if (token.Spec.VncPasswordSecretRef is not null
            && !(proxy.Spec.TargetSecurity?.AuthSchemes ?? []).Any(scheme => scheme is "vnc" or "vencrypt" or "vencrypt-anon"))
        {
            return TokenValidation.Invalid(
                ConsoleTokenReasons.VncPasswordUnsupported,
                $"spec.vncPasswordSecretRef needs ConsoleProxy {proxyName} to answer VNC password challenges: add vnc (or vencrypt, whose X509Vnc and X509Plain use the password, or vencrypt-anon, whose TLSVnc does) to its spec.targetSecurity.authSchemes");
        }

        if (token.Spec.VncUsername is not null && token.Spec.VncPasswordSecretRef is null)
        {
            // X509Plain sends a user name and a password together; a name alone authenticates nothing.
            return TokenValidation.Invalid(
                ConsoleTokenReasons.VncPasswordUnsupported,
                "spec.vncUsername needs spec.vncPasswordSecretRef: VeNCrypt X509Plain sends the user name with the password");
        }

        if (token.Spec.ScreenshotOnly && (kind != ConsoleKind.Vnc || token.Spec.SingleUse))
        {
            // The CRD's CEL rules say the same; this catches an object admitted before they existed.
            return TokenValidation.Invalid(
                ConsoleTokenReasons.KindNotServed,
                kind != ConsoleKind.Vnc
                    ? $"spec.screenshotOnly needs kind vnc: a {ConsoleKindNames.NameOf(kind)} console has no screen to take"
                    : "spec.screenshotOnly does not go with spec.singleUse: a screenshot reads the token and never consumes it");
        }

        if (kind == ConsoleKind.Spice && token.Spec.ViewOnly)
        {
            // The proxy would have to read every SPICE channel to drop input; it refuses such a token instead.
            return TokenValidation.Invalid(ConsoleTokenReasons.KindNotServed, "view-only SPICE consoles are not supported; mint the token without viewOnly, or open the VM's VNC console view-only");
        }

        TargetPolicy policy;
        try
        {
            policy = ProxyKinds.TargetPolicyFor(proxy.Spec, kind);
        }
        catch (FormatException exception)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.ProxyPolicyInvalid, $"ConsoleProxy {proxyName} has an unusable {ProxyKinds.AllowedTargetsField(kind)}: {exception.Message}");
        }

        var target = await ValidateTargetAsync(token.Spec.Target, policy, ProxyKinds.AllowedTargetsField(kind), proxyName, cancellationToken);
        if (target is not null)
        {
            return target;
        }

        var defaultSeconds = proxy.Spec.Tokens.DefaultTTLSeconds;
        var seconds = token.Spec.TtlSeconds ?? defaultSeconds;
        if (seconds < 1)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.TTLTooLong, $"a lifetime of {Seconds(seconds)} is not positive");
        }

        if (proxy.Spec.Tokens.MaxTTLSeconds is { } max && seconds > max)
        {
            var asked = token.Spec.TtlSeconds is null ? $"the proxy's default lifetime {Seconds(seconds)}" : $"ttlSeconds {Seconds(seconds)}";
            return TokenValidation.Invalid(
                ConsoleTokenReasons.TTLTooLong,
                $"{asked} exceeds the maximum of ConsoleProxy {proxyName} (spec.tokens.maxTTLSeconds {Seconds(max)}); ask for {Seconds(max)} or less");
        }

        try
        {
            // Only to prove the URL can be built; the real one carries the real token.
            _ = AccessUrl.Build(proxy.Spec.PublicUrl, "validation");
        }
        catch (ArgumentException exception)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.ProxyURLInvalid, $"ConsoleProxy {proxyName} has an unusable spec.publicURL: {exception.Message}");
        }

        return TokenValidation.Valid(proxy, TimeSpan.FromSeconds(seconds), $"target {new ConsoleTarget(token.Spec.Target.Host, token.Spec.Target.Port)} allowed by ConsoleProxy {proxyName}");
    }

    private async Task<TokenValidation?> ValidateTargetAsync(TargetSpec spec, TargetPolicy policy, string policyField, string proxyName, CancellationToken cancellationToken)
    {
        var text = spec.Host.Contains(':', StringComparison.Ordinal) ? $"[{spec.Host}]:{spec.Port}" : $"{spec.Host}:{spec.Port}";
        if (!ConsoleTarget.TryParse(text, out var target, out var error))
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.TargetInvalid, $"spec.target: {error}");
        }

        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await _resolver.ResolveAsync(target.Host, cancellationToken);
        }
        catch (SocketException exception)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.TargetNotResolvable, $"target host {target.Host} does not resolve: {exception.Message}", ResolveRetry);
        }

        if (addresses.Count == 0)
        {
            return TokenValidation.Invalid(ConsoleTokenReasons.TargetNotResolvable, $"target host {target.Host} resolves to no address", ResolveRetry);
        }

        var refused = addresses.Where(address => !policy.Allows(address, target.Port)).Distinct().ToList();
        if (refused.Count > 0)
        {
            var which = IPAddress.TryParse(target.Host, out _)
                ? $"target {target}"
                : $"target {target} (resolves to {string.Join(", ", addresses.Distinct())}; not allowed: {string.Join(", ", refused.Select(Describe))})";
            return TokenValidation.Invalid(
                ConsoleTokenReasons.TargetNotAllowed,
                $"{which} is outside the {policyField} of ConsoleProxy {proxyName} ({policy})");
        }

        return null;
    }

    private static string Describe(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture) + "s";
}
