using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Where an environment variable's value comes from.</summary>
public sealed record EnvVarSource
{
    public ConfigMapKeySelector? ConfigMapKeyRef { get; set; }

    public SecretKeySelector? SecretKeyRef { get; set; }

    public ObjectFieldSelector? FieldRef { get; set; }

    public JsonElement? ResourceFieldRef { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
