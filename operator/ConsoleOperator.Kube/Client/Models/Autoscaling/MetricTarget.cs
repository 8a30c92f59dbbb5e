using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Autoscaling;

/// <summary>Utilization, Value or AverageValue.</summary>
public sealed record MetricTarget
{
    public string Type { get; set; } = string.Empty;

    public int? AverageUtilization { get; set; }

    public string? AverageValue { get; set; }

    public string? Value { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
