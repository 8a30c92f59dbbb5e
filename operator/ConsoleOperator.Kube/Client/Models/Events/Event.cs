using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Core;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Events;

/// <summary>events.k8s.io/v1 Event. eventTime is a required MicroTime; type is Normal or Warning.</summary>
public sealed record Event : IKubernetesObject
{
    public const string KindName = "Event";

    public const string GroupVersion = "events.k8s.io/v1";

    public string? ApiVersion { get; set; } = GroupVersion;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public EventSeries? Series { get; set; }

    public string? ReportingController { get; set; }

    public string? ReportingInstance { get; set; }

    public string? Action { get; set; }

    public string? Reason { get; set; }

    public ObjectReference? Regarding { get; set; }

    public ObjectReference? Related { get; set; }

    public string? Note { get; set; }

    public string? Type { get; set; }

    public JsonElement? DeprecatedSource { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? DeprecatedFirstTimestamp { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? DeprecatedLastTimestamp { get; set; }

    public int? DeprecatedCount { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
