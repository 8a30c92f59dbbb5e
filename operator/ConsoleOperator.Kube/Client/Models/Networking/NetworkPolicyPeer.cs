using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>A peer by pods, namespaces or address block.</summary>
public sealed record NetworkPolicyPeer
{
    public LabelSelector? PodSelector { get; set; }

    public LabelSelector? NamespaceSelector { get; set; }

    public IpBlock? IpBlock { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
