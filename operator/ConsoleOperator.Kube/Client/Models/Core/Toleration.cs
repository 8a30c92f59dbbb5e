using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A pod toleration.</summary>
public sealed record Toleration
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public string? Value { get; set; }

    public string? Effect { get; set; }

    public long? TolerationSeconds { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
