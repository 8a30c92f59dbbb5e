using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>One key of a ConfigMap.</summary>
public sealed record ConfigMapKeySelector
{
    public string? Name { get; set; }

    public string Key { get; set; } = string.Empty;

    public bool? Optional { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
