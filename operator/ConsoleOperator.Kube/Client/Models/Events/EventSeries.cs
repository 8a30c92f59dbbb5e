using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Events;

/// <summary>A repeated event: how many times and when last.</summary>
public sealed record EventSeries
{
    public int Count { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? LastObservedTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
