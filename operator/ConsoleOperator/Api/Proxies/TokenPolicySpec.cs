using System.ComponentModel;
using System.Text.Json.Serialization;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>Which tokens may be minted for this proxy: lifetimes, targets, namespaces.</summary>
[ValidationRule("!has(self.maxTTLSeconds) || self.defaultTTLSeconds <= self.maxTTLSeconds", "tokens.defaultTTLSeconds must not exceed tokens.maxTTLSeconds")]
public sealed record TokenPolicySpec
{
    /// <summary>The `CIDR[:PORT[-PORT]]` syntax of the proxy's --allowed-target (checked in full by the controller).</summary>
    public const string AllowedTargetPattern = @"^(\[?[0-9A-Fa-f:.]+\]?)(/[0-9]{1,3})?(:[0-9]{1,5}(-[0-9]{1,5})?)?$";

    [Default(600)]
    [Range(1, 31_536_000)]
    [JsonPropertyName("defaultTTLSeconds")]
    [Description("Token lifetime when a ConsoleToken does not say (nova's token_ttl, 600).")]
    public int DefaultTTLSeconds { get; init; } = 600;

    [Range(1, 31_536_000)]
    [JsonPropertyName("maxTTLSeconds")]
    [Description("The longest lifetime a ConsoleToken may ask for.")]
    public int? MaxTTLSeconds { get; init; }

    [Required]
    [Items(MinItems = 1, ItemPattern = AllowedTargetPattern)]
    [Description("Networks and ports tokens may point at, as CIDR[:PORT[-PORT]]; the proxy is never an open relay.")]
    public List<string> AllowedTargets { get; init; } = [];

    [Items(ItemPattern = AllowedTargetPattern)]
    [Description("Where serial consoles may be opened to (TCP serial ports), as CIDR[:PORT[-PORT]], with the same rules as allowedTargets; required when spec.kinds has serial. Serial ports are not VNC ports: each kind has its own list.")]
    public List<string>? SerialAllowedTargets { get; init; }

    [Items(ItemPattern = AllowedTargetPattern)]
    [Description("Where SPICE consoles may be opened to (the compute nodes' SPICE ports), as CIDR[:PORT[-PORT]], with the same rules as allowedTargets; required when spec.kinds has spice.")]
    public List<string>? SpiceAllowedTargets { get; init; }

    [JsonPropertyName("allowWideTargetNetworks")]
    [Description("Accept allowedTargets wider than /8 (IPv4) or /32 (IPv6), up to 0.0.0.0/0: an open relay to everything the pods can route to. Loopback and link-local (metadata services) stay refused unless named exactly.")]
    public bool AllowWideTargetNetworks { get; init; }

    [Description("Namespaces whose ConsoleTokens may use this proxy; default: the proxy's own namespace. \"*\" allows all.")]
    public List<string>? Namespaces { get; init; }
}
