using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Active or Terminating.</summary>
public sealed record NamespaceStatus
{
    public string? Phase { get; set; }

    public JsonElement? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
