using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>The status and scale subresources; status is an empty object when enabled.</summary>
public sealed record CustomResourceSubresources
{
    public JsonObject? Status { get; set; }

    public JsonObject? Scale { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
