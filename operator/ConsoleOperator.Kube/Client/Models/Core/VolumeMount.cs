using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Where a volume appears in a container.</summary>
public sealed record VolumeMount
{
    public string Name { get; set; } = string.Empty;

    public string MountPath { get; set; } = string.Empty;

    public string? SubPath { get; set; }

    public bool? ReadOnly { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
