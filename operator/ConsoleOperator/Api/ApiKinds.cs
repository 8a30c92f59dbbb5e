using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Crds;
using ConsoleOperator.Kube.Client.Resources;

namespace ConsoleOperator.Api;

/// <summary>The operator's two kinds: what their CRDs say and where they live in the API.</summary>
public static class ApiKinds
{
    private const string ReadyColumn = ".status.conditions[?(@.type==\"Ready\")].status";

    public static CustomResourceKind ConsoleProxy { get; } = new(
        ApiGroup.Name,
        ApiGroup.Version,
        ConsoleProxyResource.KindName,
        "consoleproxies",
        ["cproxy"],
        typeof(ConsoleProxySpec),
        typeof(ConsoleProxyStatus),
        [
            new PrinterColumn("Ready", "string", ReadyColumn, "Whether the proxy serves consoles"),
            new PrinterColumn("Replicas", "integer", ".status.readyReplicas", "Ready proxy pods"),
            new PrinterColumn("URL", "string", ".status.url", "Where users open consoles"),
            new PrinterColumn("Age", "date", ".metadata.creationTimestamp"),
        ],
        "ConsoleProxy runs a fleet of browser console proxies (noVNC + a token-authorized WebSocket-to-VNC relay) with their token store.");

    public static CustomResourceKind ConsoleToken { get; } = new(
        ApiGroup.Name,
        ApiGroup.Version,
        ConsoleTokenResource.KindName,
        "consoletokens",
        ["ctoken"],
        typeof(ConsoleTokenSpec),
        typeof(ConsoleTokenStatus),
        [
            new PrinterColumn("Proxy", "string", ".spec.proxyRef.name", "The ConsoleProxy"),
            new PrinterColumn("Target", "string", ".spec.target.host", "The compute node's VNC address"),
            new PrinterColumn("Kind", "string", ".spec.kind", "vnc or serial"),
            new PrinterColumn("Phase", "string", ".status.phase"),
            // A string, not a date: kubectl prints a date column as an age, and an age in the future as <invalid>.
            new PrinterColumn("Expires", "string", ".status.expiresAt", "When access ends (UTC)"),
            new PrinterColumn("Sessions", "integer", ".status.sessions.count", "Live sessions (empty until the first one is seen)"),
            new PrinterColumn("Age", "date", ".metadata.creationTimestamp"),
        ],
        "ConsoleToken mints time-limited access to one VM console through one ConsoleProxy; the token and URL are in the Secret it names.");

    public static IReadOnlyList<CustomResourceKind> All { get; } = [ConsoleProxy, ConsoleToken];

    /// <summary>Where ConsoleProxy objects live in the API.</summary>
    public static ResourceDescriptor ConsoleProxies { get; } =
        new ResourceDescriptor(ApiGroup.Name, ApiGroup.Version, ConsoleProxy.Plural, ConsoleProxy.Kind);

    /// <summary>Where ConsoleToken objects live in the API.</summary>
    public static ResourceDescriptor ConsoleTokens { get; } =
        new ResourceDescriptor(ApiGroup.Name, ApiGroup.Version, ConsoleToken.Plural, ConsoleToken.Kind);
}
