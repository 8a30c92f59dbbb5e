using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Apps;

/// <summary>RollingUpdate (default 25%/25%) or Recreate.</summary>
public sealed record DeploymentStrategy
{
    public string? Type { get; set; }

    public RollingUpdateDeployment? RollingUpdate { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
