using System.Globalization;
using System.Text.RegularExpressions;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Kinds;
using ConsoleOperator.Builders.Naming;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleOperator.Builders.Validation;

/// <summary>
/// What the CRD schema cannot check (or what `render` must check without an API server): names that derived objects
/// can carry, allowed targets in full, URLs, the token store's shape, quantities. Pure; the controller turns the
/// problems into a Degraded condition and an event, and builds nothing until they are fixed.
/// </summary>
public static partial class ConsoleProxyValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(ConsoleProxyResource proxy)
    {
        var problems = new List<ValidationProblem>();
        ValidateName(proxy, problems);
        var spec = proxy.Spec;
        ValidatePublicUrl(spec.PublicUrl, problems);
        ValidateOrigins(spec.AllowedOrigins, problems);
        if (spec.Tls is { } tls && string.IsNullOrWhiteSpace(tls.SecretName))
        {
            problems.Add(new("spec.tls.secretName", "name the kubernetes.io/tls Secret (tls.crt, tls.key) the proxy pods serve HTTPS with, or remove spec.tls to serve plain HTTP behind a TLS-terminating ingress"));
        }

        ValidateTokenStore(spec.TokenStore, problems);
        ValidateTokens(spec.Tokens, problems);
        ValidateKinds(spec, problems);
        ValidateTargetSecurity(spec.TargetSecurity, problems);
        ValidateScale(spec, problems);
        ValidateResources("spec.resources", spec.Resources, problems);
        ValidateResources("spec.tokenStore.managed.resources", spec.TokenStore.Managed?.Resources, problems);
        return problems;
    }

    private static void ValidateName(ConsoleProxyResource proxy, List<ValidationProblem> problems)
    {
        var name = proxy.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(new("metadata.name", "the ConsoleProxy needs a name"));
        }
        else if (name.Length > ConsoleProxyNames.MaxProxyNameLength || !Dns1035Label().IsMatch(name))
        {
            problems.Add(new("metadata.name", string.Create(CultureInfo.InvariantCulture,
                $"'{name}' cannot name the proxy's Services ('{name}-proxy', '{name}-redis'): use at most {ConsoleProxyNames.MaxProxyNameLength} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit")));
        }

        if (string.IsNullOrEmpty(proxy.Metadata.NamespaceProperty))
        {
            problems.Add(new("metadata.namespace", "the ConsoleProxy needs a namespace"));
        }
    }

    private static void ValidatePublicUrl(string publicUrl, List<ValidationProblem> problems)
    {
        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            problems.Add(new("spec.publicURL", $"'{publicUrl}' is not an http(s) URL; write where users reach the proxy, e.g. https://console.example.com"));
        }
        else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
        {
            problems.Add(new("spec.publicURL", $"'{publicUrl}' carries a query, fragment or user name; give only the base (scheme, host, optional port and path)"));
        }
    }

    /// <summary>With the proxy's own parser, so an origin the operator accepts is one the proxy pods start with.</summary>
    private static void ValidateOrigins(List<string>? origins, List<ValidationProblem> problems)
    {
        if (!PolicyList.TryParse<AllowedOrigin>(origins ?? [], out _, out var originProblems))
        {
            problems.AddRange(originProblems.Select(problem => new ValidationProblem(Indexed("spec.allowedOrigins", problem.Index), problem.Message)));
        }
    }

    private static void ValidateTokenStore(TokenStoreSpec store, List<ValidationProblem> problems)
    {
        if ((store.Managed is null) == (store.External is null))
        {
            problems.Add(new("spec.tokenStore", "set exactly one of managed: {} (the operator runs Redis) or external: {address: HOST:PORT}"));
        }

        if (store.External is not { } external)
        {
            return;
        }

        if ((external.Address is null) == (external.Sentinel is null))
        {
            problems.Add(new("spec.tokenStore.external", "set exactly one of address: HOST:PORT (one Redis) or sentinel: {masterName, addresses} (Redis Sentinel)"));
        }

        if (external.Address is { } address && !ConsoleTarget.TryParse(address, out _, out var error))
        {
            problems.Add(new("spec.tokenStore.external.address", $"{error}; the operator and the proxy pods must both reach this Redis"));
        }

        if (external.Sentinel is { } sentinel && SentinelOptions.ParseAddresses(string.Join(',', sentinel.Addresses), out var sentinelError) is null)
        {
            problems.Add(new("spec.tokenStore.external.sentinel.addresses", $"{sentinelError}; the operator and the proxy pods must both reach the sentinels"));
        }

        if (external.UsernameSecretRef is { } user && (string.IsNullOrWhiteSpace(user.Name) || string.IsNullOrWhiteSpace(user.Key)))
        {
            problems.Add(new("spec.tokenStore.external.usernameSecretRef", "give both name and key of the Secret holding the Redis ACL user, or remove usernameSecretRef for the default user"));
        }

        if (external.PasswordSecretRef is { } secret && (string.IsNullOrWhiteSpace(secret.Name) || string.IsNullOrWhiteSpace(secret.Key)))
        {
            problems.Add(new("spec.tokenStore.external.passwordSecretRef", "give both name and key of the Secret holding the Redis password, or remove passwordSecretRef for a Redis without AUTH"));
        }
    }

    private static void ValidateTargets(IReadOnlyList<string> targets, string field, bool allowWide, List<ValidationProblem> problems)
    {
        if (!PolicyList.TryParse<AllowedTarget>(targets, out var parsed, out var targetProblems))
        {
            problems.AddRange(targetProblems.Select(problem => new ValidationProblem(Indexed(field, problem.Index), problem.Message)));
            return;
        }

        for (var index = 0; index < parsed.Count && !allowWide; index++)
        {
            if (parsed.Entries[index] is { IsWide: true } target)
            {
                problems.Add(new(Indexed(field, index), string.Create(CultureInfo.InvariantCulture,
                    $"'{target}' is wider than /{AllowedTarget.WidestIPv4Prefix} (IPv4) or /{AllowedTarget.WidestIPv6Prefix} (IPv6): consoles could reach the Kubernetes API, every node and anything routable; list the networks your consoles live on, or set spec.tokens.allowWideTargetNetworks: true if you mean it")));
            }
        }
    }

    private static void ValidateTargetSecurity(TargetSecuritySpec? security, List<ValidationProblem> problems)
    {
        if (security is null)
        {
            return;
        }

        var schemes = security.AuthSchemes ?? [];
        for (var index = 0; index < schemes.Count; index++)
        {
            if (schemes[index] is not ("vencrypt" or "vencrypt-anon" or "vnc" or "none"))
            {
                problems.Add(new(Indexed("spec.targetSecurity.authSchemes", index), $"'{schemes[index]}' is not a security type the proxy negotiates; use vencrypt, vencrypt-anon, vnc or none"));
            }
            else if (schemes.IndexOf(schemes[index]) != index)
            {
                problems.Add(new(Indexed("spec.targetSecurity.authSchemes", index), $"'{schemes[index]}' is listed twice"));
            }
        }

        if ((schemes.Contains("vencrypt") || security.Tls) && string.IsNullOrEmpty(security.TlsSecretName))
        {
            problems.Add(new("spec.targetSecurity.tlsSecretName", "name the Secret with tls.crt, tls.key and ca.crt: vencrypt and tls need the client certificate and the CA the compute nodes' certificates chain to"));
        }
    }

    private static void ValidateKinds(ConsoleProxySpec spec, List<ValidationProblem> problems)
    {
        var names = spec.Kinds ?? [];
        for (var index = 0; index < names.Count; index++)
        {
            if (!ConsoleKindNames.TryParse(names[index], out var kind, out var error))
            {
                problems.Add(new(Indexed("spec.kinds", index), error));
            }
            else if (names.IndexOf(names[index]) != index)
            {
                problems.Add(new(Indexed("spec.kinds", index), $"'{names[index]}' is listed twice"));
            }
        }

        foreach (var kind in ProxyKinds.WithOwnTargets)
        {
            ValidateTargets(ProxyKinds.AllowedTargets(spec, kind), ProxyKinds.AllowedTargetsField(kind), spec.Tokens.AllowWideTargetNetworks, problems);
        }

        RequireOwnTargets(spec, ConsoleKind.Serial, "the VMs' TCP serial ports", "10.20.0.0/16:10000-20000", problems);
        RequireOwnTargets(spec, ConsoleKind.Spice, "the compute nodes' SPICE ports", "10.20.0.0/16:5900-6999", problems);
    }

    /// <summary>A kind other than VNC is served only with its own allowed targets, and those only when it is served.</summary>
    private static void RequireOwnTargets(ConsoleProxySpec spec, ConsoleKind kind, string what, string example, List<ValidationProblem> problems)
    {
        var name = ConsoleKindNames.NameOf(kind);
        var field = ProxyKinds.AllowedTargetsField(kind);
        var serves = ProxyKinds.Serves(spec, kind);
        var targets = ProxyKinds.AllowedTargets(spec, kind);
        if (serves && targets.Count == 0)
        {
            problems.Add(new(field, $"list the networks and ports of {what} as CIDR[:PORT[-PORT]] (e.g. {example}): spec.kinds has {name}, and those ports are not the VNC ports of allowedTargets"));
        }
        else if (!serves && targets.Count > 0)
        {
            problems.Add(new(field, $"spec.kinds does not list {name}: add {name} to spec.kinds, or remove {field[(field.LastIndexOf('.') + 1)..]}"));
        }
    }

    private static void ValidateTokens(TokenPolicySpec tokens, List<ValidationProblem> problems)
    {
        if (tokens.AllowedTargets.Count == 0)
        {
            problems.Add(new("spec.tokens.allowedTargets", "list the networks consoles live on as CIDR[:PORT[-PORT]] (e.g. 10.20.0.0/16:5900-5999); an empty list would make the proxy an open relay"));
        }

        ValidateTargets(tokens.AllowedTargets, "spec.tokens.allowedTargets", tokens.AllowWideTargetNetworks, problems);

        if (tokens.MaxTTLSeconds is { } max && tokens.DefaultTTLSeconds > max)
        {
            problems.Add(new("spec.tokens.defaultTTLSeconds", string.Create(CultureInfo.InvariantCulture,
                $"the default lifetime {tokens.DefaultTTLSeconds}s exceeds maxTTLSeconds {max}s; lower the default or raise the maximum")));
        }

        for (var index = 0; index < (tokens.Namespaces?.Count ?? 0); index++)
        {
            var ns = tokens.Namespaces![index];
            if (ns != "*" && (ns.Length > 63 || !Dns1123Label().IsMatch(ns)))
            {
                problems.Add(new(Indexed("spec.tokens.namespaces", index), $"'{ns}' is not a namespace name; use a namespace name or \"*\" for all namespaces"));
            }
        }
    }

    private static void ValidateScale(ConsoleProxySpec spec, List<ValidationProblem> problems)
    {
        if (spec.Autoscaling is { } autoscaling && autoscaling.MinReplicas > autoscaling.MaxReplicas)
        {
            problems.Add(new("spec.autoscaling", string.Create(CultureInfo.InvariantCulture,
                $"minReplicas {autoscaling.MinReplicas} exceeds maxReplicas {autoscaling.MaxReplicas}")));
        }
    }

    private static void ValidateResources(string field, ComputeResources? resources, List<ValidationProblem> problems)
    {
        foreach (var (part, quantities) in new[] { ("requests", resources?.Requests), ("limits", resources?.Limits) })
        {
            foreach (var (resource, quantity) in quantities ?? [])
            {
                if (!QuantityPattern().IsMatch(quantity.Value ?? string.Empty))
                {
                    problems.Add(new($"{field}.{part}.{resource}", $"'{quantity.Value}' is not a Kubernetes quantity; write e.g. 100m, 0.5, 128Mi or 1Gi"));
                }
            }
        }
    }

    private static string Indexed(string field, int index) => string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]");

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(Quantity.Pattern)]
    private static partial Regex QuantityPattern();
}
