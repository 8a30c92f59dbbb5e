using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 ServiceStatus; the load balancer part stays opaque.</summary>
public sealed record ServiceStatus
{
    public JsonElement? LoadBalancer { get; set; }

    public JsonElement? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
