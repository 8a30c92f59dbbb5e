using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>Pod-wide security settings.</summary>
public sealed record PodSecurityContext
{
    public bool? RunAsNonRoot { get; set; }

    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }

    public long? FsGroup { get; set; }

    public List<long>? SupplementalGroups { get; set; }

    public SeccompProfile? SeccompProfile { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
