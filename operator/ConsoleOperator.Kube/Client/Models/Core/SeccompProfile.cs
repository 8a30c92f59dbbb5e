using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>RuntimeDefault, Localhost or Unconfined.</summary>
public sealed record SeccompProfile
{
    public string Type { get; set; } = string.Empty;

    public string? LocalhostProfile { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
