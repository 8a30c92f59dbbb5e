using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>envFrom a Secret.</summary>
public sealed record SecretEnvSource
{
    public string? Name { get; set; }

    public bool? Optional { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
