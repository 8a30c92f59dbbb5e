using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>A kubectl printer column.</summary>
public sealed record CustomResourceColumnDefinition
{
    public string Name { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public string JsonPath { get; set; } = string.Empty;

    public string? Format { get; set; }

    public string? Description { get; set; }

    public int? Priority { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
