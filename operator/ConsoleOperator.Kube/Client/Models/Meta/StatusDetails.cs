using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>metav1.StatusDetails. <see cref="Kind"/> is sometimes the plural resource, sometimes the Kind (fixtures 03, 18): never rely on it.</summary>
public sealed record StatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Uid { get; set; }

    public List<StatusCause>? Causes { get; set; }

    public int? RetryAfterSeconds { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
