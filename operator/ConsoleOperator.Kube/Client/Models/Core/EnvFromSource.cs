using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>All keys of a ConfigMap or Secret as variables.</summary>
public sealed record EnvFromSource
{
    public string? Prefix { get; set; }

    public ConfigMapEnvSource? ConfigMapRef { get; set; }

    public SecretEnvSource? SecretRef { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
