using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>The group, names, scope and versions of a CRD.</summary>
public sealed record CustomResourceDefinitionSpec
{
    public string Group { get; set; } = string.Empty;

    public CustomResourceDefinitionNames Names { get; set; } = new();

    public string Scope { get; set; } = string.Empty;

    public List<CustomResourceDefinitionVersion> Versions { get; set; } = [];

    public JsonElement? Conversion { get; set; }

    public bool? PreserveUnknownFields { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
