using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Coordination;

/// <summary>Who holds the lease and since when; acquire/renewTime need exactly six fractional digits on the wire.</summary>
public sealed record LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
