using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>One key mapped to a file.</summary>
public sealed record KeyToPath
{
    public string Key { get; set; } = string.Empty;

    public string Path { get; set; } = string.Empty;

    public int? Mode { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
