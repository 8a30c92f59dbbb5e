using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>The structural schema, kept as JSON because JSONSchemaProps is recursive and open-ended.</summary>
public sealed record CustomResourceValidation
{
    [JsonPropertyName("openAPIV3Schema")]
    public JsonObject? OpenAPIV3Schema { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
