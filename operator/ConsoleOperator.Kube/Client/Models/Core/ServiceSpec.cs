using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 ServiceSpec.</summary>
public sealed record ServiceSpec
{
    public string? Type { get; set; }

    public Dictionary<string,string>? Selector { get; set; }

    public List<ServicePort>? Ports { get; set; }

    public string? ClusterIP { get; set; }

    public List<string>? ClusterIPs { get; set; }

    public string? SessionAffinity { get; set; }

    public List<string>? IpFamilies { get; set; }

    public string? IpFamilyPolicy { get; set; }

    public string? InternalTrafficPolicy { get; set; }

    public string? ExternalTrafficPolicy { get; set; }

    public bool? PublishNotReadyAddresses { get; set; }

    public List<string>? ExternalIPs { get; set; }

    public string? LoadBalancerClass { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
