using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>Allowed outgoing traffic.</summary>
public sealed record NetworkPolicyEgressRule
{
    public List<NetworkPolicyPeer>? To { get; set; }

    public List<NetworkPolicyPort>? Ports { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
