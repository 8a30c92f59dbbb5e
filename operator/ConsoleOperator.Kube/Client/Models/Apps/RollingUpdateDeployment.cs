using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Apps;

/// <summary>Surge and unavailability, as a count or a percentage.</summary>
public sealed record RollingUpdateDeployment
{
    public IntOrString? MaxUnavailable { get; set; }

    public IntOrString? MaxSurge { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
