using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>A CIDR with exceptions.</summary>
public sealed record IpBlock
{
    public string Cidr { get; set; } = string.Empty;

    public List<string>? Except { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
