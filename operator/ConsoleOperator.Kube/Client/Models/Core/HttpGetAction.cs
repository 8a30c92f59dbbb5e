using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>An HTTP GET probe; port is a number or a container port name.</summary>
public sealed record HttpGetAction
{
    public string? Path { get; set; }

    public IntOrString Port { get; set; }

    public string? Host { get; set; }

    public string? Scheme { get; set; }

    public List<HttpHeader>? HttpHeaders { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
