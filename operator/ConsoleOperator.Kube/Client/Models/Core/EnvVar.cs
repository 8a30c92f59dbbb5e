using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>An environment variable: a literal value or a reference.</summary>
public sealed record EnvVar
{
    public string Name { get; set; } = string.Empty;

    public string? Value { get; set; }

    public EnvVarSource? ValueFrom { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
