using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>Conditions (Established, NamesAccepted) and accepted names.</summary>
public sealed record CustomResourceDefinitionStatus
{
    public List<CustomResourceDefinitionCondition>? Conditions { get; set; }

    public CustomResourceDefinitionNames? AcceptedNames { get; set; }

    public List<string>? StoredVersions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
