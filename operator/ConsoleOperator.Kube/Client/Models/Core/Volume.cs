using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A pod volume; the sources an operator uses are typed, others survive in ExtensionData.</summary>
public sealed record Volume
{
    public string Name { get; set; } = string.Empty;

    public ConfigMapVolumeSource? ConfigMap { get; set; }

    public SecretVolumeSource? Secret { get; set; }

    public EmptyDirVolumeSource? EmptyDir { get; set; }

    public JsonElement? Projected { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
