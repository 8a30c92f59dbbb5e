using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>A container port; protocol defaults to TCP on the server.</summary>
public sealed record ContainerPort
{
    public string? Name { get; set; }

    /// <summary>The <c>containerPort</c> field (a member cannot share the record's name).</summary>
    [JsonPropertyName("containerPort")]
    public int Number { get; set; }

    public string? Protocol { get; set; }

    public int? HostPort { get; set; }

    public string? HostIP { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
