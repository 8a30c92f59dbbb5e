using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>A port by number or name; a named port stays a string (fixture 20/07).</summary>
public sealed record NetworkPolicyPort
{
    public string? Protocol { get; set; }

    public IntOrString? Port { get; set; }

    public int? EndPort { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
