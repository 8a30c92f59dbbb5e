using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Spreads replicas over zones or nodes.</summary>
public sealed record TopologySpreadConstraint
{
    public int MaxSkew { get; set; }

    public string TopologyKey { get; set; } = string.Empty;

    public string WhenUnsatisfiable { get; set; } = string.Empty;

    public LabelSelector? LabelSelector { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
