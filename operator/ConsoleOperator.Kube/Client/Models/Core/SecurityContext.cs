using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Container security settings.</summary>
public sealed record SecurityContext
{
    public bool? AllowPrivilegeEscalation { get; set; }

    public bool? Privileged { get; set; }

    public bool? ReadOnlyRootFilesystem { get; set; }

    public bool? RunAsNonRoot { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public Capabilities? Capabilities { get; set; }

    public SeccompProfile? SeccompProfile { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
