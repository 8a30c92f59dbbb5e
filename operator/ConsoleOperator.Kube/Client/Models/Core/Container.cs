using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>core/v1 Container.</summary>
public sealed record Container
{
    public string Name { get; set; } = string.Empty;

    public string? Image { get; set; }

    public string? ImagePullPolicy { get; set; }

    public List<string>? Command { get; set; }

    public List<string>? Args { get; set; }

    public string? WorkingDir { get; set; }

    public List<ContainerPort>? Ports { get; set; }

    public List<EnvVar>? Env { get; set; }

    public List<EnvFromSource>? EnvFrom { get; set; }

    public ResourceRequirements? Resources { get; set; }

    public List<VolumeMount>? VolumeMounts { get; set; }

    public Probe? LivenessProbe { get; set; }

    public Probe? ReadinessProbe { get; set; }

    public Probe? StartupProbe { get; set; }

    public JsonElement? Lifecycle { get; set; }

    public SecurityContext? SecurityContext { get; set; }

    public string? TerminationMessagePath { get; set; }

    public string? TerminationMessagePolicy { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
