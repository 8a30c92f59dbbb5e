using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Entities;

/// <summary>
/// Any object, typed only as far as apiVersion/kind/metadata; spec, status and everything else stay JSON in
/// <see cref="Fields"/>. Used for custom resources and for reading what has no typed model.
/// </summary>
public sealed record UntypedObject : IKubernetesObject<V1ObjectMeta>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; set; }
}
