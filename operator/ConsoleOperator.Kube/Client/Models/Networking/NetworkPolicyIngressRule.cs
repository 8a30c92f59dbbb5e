using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>Allowed incoming traffic.</summary>
public sealed record NetworkPolicyIngressRule
{
    public List<NetworkPolicyPeer>? From { get; set; }

    public List<NetworkPolicyPort>? Ports { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
