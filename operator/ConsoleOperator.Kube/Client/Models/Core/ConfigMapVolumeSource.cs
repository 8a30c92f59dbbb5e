using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A ConfigMap as files; defaultMode defaults to 420 (0644).</summary>
public sealed record ConfigMapVolumeSource
{
    public string? Name { get; set; }

    public List<KeyToPath>? Items { get; set; }

    public int? DefaultMode { get; set; }

    public bool? Optional { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
