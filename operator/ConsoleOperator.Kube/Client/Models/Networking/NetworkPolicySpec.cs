using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Networking;

/// <summary>Selected pods and their allowed traffic.</summary>
public sealed record NetworkPolicySpec
{
    public LabelSelector PodSelector { get; set; } = new();

    public List<NetworkPolicyIngressRule>? Ingress { get; set; }

    public List<NetworkPolicyEgressRule>? Egress { get; set; }

    public List<string>? PolicyTypes { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
