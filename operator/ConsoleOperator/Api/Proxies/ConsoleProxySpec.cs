using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>The desired proxy fleet.</summary>
public sealed record ConsoleProxySpec
{
    [Default(2)]
    [Range(0, 1000)]
    [Description("Proxy pods (default 2).")]
    public int Replicas { get; init; } = 2;

    [Description("Proxy image (default: the image built from this operator's release).")]
    public string? Image { get; init; }

    public ComputeResources? Resources { get; init; }

    public Dictionary<string, string>? NodeSelector { get; init; }

    public List<Toleration>? Tolerations { get; init; }

    [Description("Pod affinity, as in a Pod spec (default: spread the proxy pods across nodes).")]
    public JsonObject? Affinity { get; init; }

    public DisruptionBudgetSpec? PodDisruptionBudget { get; init; }

    public AutoscalingSpec? Autoscaling { get; init; }

    public ProxyServiceSpec? Service { get; init; }

    [Required]
    [Pattern(@"^https?://[^\s/?#]+(/[^\s?#]*)?$")]
    [JsonPropertyName("publicURL")]
    [Description("Base of the access URLs, as users reach the proxy (nova's novncproxy_base_url), e.g. https://console.example.com.")]
    public string PublicUrl { get; init; } = "";

    public ProxyTlsSpec? Tls { get; init; }

    [Items(ItemPattern = @"^(https?://)?[^\s/?#]+$")]
    [Description("Extra WebSocket origins to accept besides the request's own host (nova's allowed_origins).")]
    public List<string>? AllowedOrigins { get; init; }

    [Description("Compare the WebSocket Origin's port with the request's too (default: host and scheme only, as nova, since load balancers may rewrite ports).")]
    public bool StrictOrigin { get; init; }

    [Items(ItemPattern = @"^https?://(\*\.)?[^\s/?#*]+$")]
    [Description("Sites that may show the console pages in a frame besides the proxy itself (portals that embed the console), e.g. https://portal.example.com or https://*.example.com. Default: same origin only (clickjacking protection).")]
    public List<string>? FrameAncestors { get; init; }

    [Required]
    public TokenStoreSpec TokenStore { get; init; } = new();

    [Required]
    public TokenPolicySpec Tokens { get; init; } = new();

    [Items(MinItems = 1, ItemPattern = "^(vnc|serial|spice)$")]
    [Description("The kinds of console the proxy serves: vnc (noVNC), serial (an xterm.js terminal on a VM's serial port, with its own tokens.serialAllowedTargets) and spice (spice-html5, with tokens.spiceAllowedTargets). Default: [vnc].")]
    public List<string>? Kinds { get; init; }

    [Description("How the proxy pods authenticate to the compute nodes' VNC servers: VeNCrypt with a client certificate, VNC passwords, TLS. Without it they connect with security type None, as before.")]
    public TargetSecuritySpec? TargetSecurity { get; init; }

    public SessionPolicySpec? Sessions { get; init; }
}
