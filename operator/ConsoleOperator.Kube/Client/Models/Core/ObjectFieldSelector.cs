using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A pod field such as metadata.name; apiVersion defaults to v1.</summary>
public sealed record ObjectFieldSelector
{
    public string? ApiVersion { get; set; }

    public string FieldPath { get; set; } = string.Empty;

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
