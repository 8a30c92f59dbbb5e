using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>
/// metav1.Status: the body of every API error, of a DELETE that removed the object at once, and of an in-stream
/// watch ERROR event. <c>details</c> may be absent, empty or full (README "Cross-cutting facts").
/// </summary>
public sealed record Status
{
    public string? Kind { get; set; } = "Status";

    public string? ApiVersion { get; set; } = "v1";

    public ListMeta? Metadata { get; set; }

    /// <summary>The <c>status</c> field: "Success" or "Failure". Named Result because a member cannot share the type's name.</summary>
    [JsonPropertyName("status")]
    public string? Result { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public StatusDetails? Details { get; set; }

    public int? Code { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
