using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Linux capabilities to add or drop.</summary>
public sealed record Capabilities
{
    public List<string>? Add { get; set; }

    public List<string>? Drop { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
