using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 PodSpec: the fields an operator sets, the rest survives in ExtensionData.</summary>
public sealed record PodSpec
{
    public List<Container>? InitContainers { get; set; }

    public List<Container>? Containers { get; set; }

    public List<Volume>? Volumes { get; set; }

    public string? ServiceAccountName { get; set; }

    /// <summary>Deprecated copy of serviceAccountName that the server fills in.</summary>
    [JsonPropertyName("serviceAccount")]
    public string? ServiceAccount { get; set; }

    public bool? AutomountServiceAccountToken { get; set; }

    public PodSecurityContext? SecurityContext { get; set; }

    public string? RestartPolicy { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    public string? DnsPolicy { get; set; }

    public string? SchedulerName { get; set; }

    public Dictionary<string,string>? NodeSelector { get; set; }

    public JsonElement? Affinity { get; set; }

    public List<Toleration>? Tolerations { get; set; }

    public List<TopologySpreadConstraint>? TopologySpreadConstraints { get; set; }

    public string? PriorityClassName { get; set; }

    public List<LocalObjectReference>? ImagePullSecrets { get; set; }

    public bool? EnableServiceLinks { get; set; }

    public bool? HostNetwork { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
