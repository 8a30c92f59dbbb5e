using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Requests and limits as Kubernetes quantities ("250m", "128Mi").</summary>
public sealed record ResourceRequirements
{
    public Dictionary<string,string>? Requests { get; set; }

    public Dictionary<string,string>? Limits { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
