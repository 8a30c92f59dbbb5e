using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A scratch directory; sizeLimit is a quantity.</summary>
public sealed record EmptyDirVolumeSource
{
    public string? Medium { get; set; }

    public string? SizeLimit { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
