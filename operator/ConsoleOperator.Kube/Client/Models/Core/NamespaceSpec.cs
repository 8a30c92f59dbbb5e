using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>The namespace finalizers ("kubernetes") that the namespace controller removes.</summary>
public sealed record NamespaceSpec
{
    public List<string>? Finalizers { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
