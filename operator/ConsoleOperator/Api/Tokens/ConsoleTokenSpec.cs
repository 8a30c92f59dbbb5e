using System.ComponentModel;
using System.Text.Json.Serialization;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Tokens;

/// <summary>One VM console access to mint. Immutable: a new token is a new object.</summary>
[ValidationRule("self == oldSelf", "spec is immutable: create a new ConsoleToken instead")]
[ValidationRule("!has(self.screenshotOnly) || !self.screenshotOnly || self.kind == 'vnc'", "screenshotOnly needs kind vnc: only a VNC console has a screen to take")]
[ValidationRule("!has(self.screenshotOnly) || !self.screenshotOnly || !has(self.singleUse) || !self.singleUse", "screenshotOnly does not go with singleUse: a screenshot reads the token and never consumes it")]
public sealed record ConsoleTokenSpec
{
    [Required]
    public ProxyReference ProxyRef { get; init; } = new();

    [Required]
    public TargetSpec Target { get; init; } = new();

    [Default("vnc")]
    [Pattern("^(vnc|serial|spice)$")]
    [Description("Which console the token opens: vnc (default, the noVNC page), serial (the VM's serial port in a terminal page) or spice (spice-html5; not view-only); the ConsoleProxy must serve it (spec.kinds).")]
    public string Kind { get; init; } = "vnc";

    [Description("The Secret key (in the ConsoleToken's namespace) holding the VM's VNC password: the proxy answers the VNC challenge with it and the person at the browser never sees it. Stored in the token store only sealed (AES-256-GCM) with the ConsoleProxy's key. Needs the ConsoleProxy's spec.targetSecurity.authSchemes to include vnc, vencrypt or vencrypt-anon.")]
    public SecretKeyReference? VncPasswordSecretRef { get; init; }

    [Pattern("^[^\\x00-\\x1f]{1,255}$")]
    [Description("The user name VeNCrypt X509Plain sends with the password of spec.vncPasswordSecretRef (a login name, not a secret: stored in clear beside the sealed password). Leave it out for servers that ask for a password only.")]
    public string? VncUsername { get; init; }

    [Range(1, 1000)]
    [Description("How many sessions this token admits at once (a second viewer, a share). Default: 1 for a single-use token, otherwise no limit. Beyond it the proxy refuses (409) or takes over the oldest session (4006), as its --on-session-limit says.")]
    public int? MaxSessions { get; init; }

    [Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    [Description("Makes this token a read-only share of another ConsoleToken (its name, in this namespace): it is minted only once that token is Active (until then Invalid with ShareOfNotActive, checked again every 10 s), must name the same proxyRef, kind and target (else ShareMismatch), and is always view-only whatever viewOnly says. It is a token of its own: its own TTL, Secret and URL; delete it to end the share.")]
    public string? ShareOf { get; init; }

    [Description("Free-form VM id (e.g. its UUID), recorded for audit.")]
    public string? Instance { get; init; }

    [Range(1, 31_536_000)]
    [JsonPropertyName("ttlSeconds")]
    [Description("Lifetime; default the proxy's tokens.defaultTTLSeconds, at most its tokens.maxTTLSeconds.")]
    public int? TtlSeconds { get; init; }

    [Description("The first session consumes the token.")]
    public bool SingleUse { get; init; }

    [Description("The proxy drops keyboard and mouse input from the browser.")]
    public bool ViewOnly { get; init; }

    [Description("The token takes pictures of the VM's screen and opens no console: the Secret's url is the image URL (PUBLIC_URL/screenshot?token=..., a PNG per GET) and the proxy refuses it a WebSocket session (screenshot_only). VNC only, not singleUse.")]
    public bool ScreenshotOnly { get; init; }

    [Default(3600)]
    [Range(0, 31_536_000)]
    [JsonPropertyName("ttlSecondsAfterExpiry")]
    [Description("How long an Expired or Revoked ConsoleToken stays before the operator deletes it (default 3600).")]
    public int TtlSecondsAfterExpiry { get; init; } = 3600;
}
