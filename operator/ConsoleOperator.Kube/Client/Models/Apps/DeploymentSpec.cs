using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Core;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Apps;

/// <summary>apps/v1 DeploymentSpec.</summary>
public sealed record DeploymentSpec
{
    public int? Replicas { get; set; }

    public LabelSelector? Selector { get; set; }

    public PodTemplateSpec? Template { get; set; }

    public DeploymentStrategy? Strategy { get; set; }

    public int? MinReadySeconds { get; set; }

    public int? RevisionHistoryLimit { get; set; }

    public int? ProgressDeadlineSeconds { get; set; }

    public bool? Paused { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
