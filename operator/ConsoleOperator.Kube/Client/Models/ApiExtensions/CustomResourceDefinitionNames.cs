using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>Plural, singular, kind, list kind, short names and categories.</summary>
public sealed record CustomResourceDefinitionNames
{
    public string Plural { get; set; } = string.Empty;

    public string? Singular { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string? ListKind { get; set; }

    public List<string>? ShortNames { get; set; }

    public List<string>? Categories { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
