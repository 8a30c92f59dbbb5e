using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>metav1.ListMeta. Also the <c>metadata</c> of a Status: a 410 for an expired continue carries a new <c>continue</c> there.</summary>
public sealed record ListMeta
{
    public string? ResourceVersion { get; set; }

    /// <summary>Empty string (not absent) on the last page of a CR list; treat empty and null alike.</summary>
    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }

    public string? SelfLink { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
