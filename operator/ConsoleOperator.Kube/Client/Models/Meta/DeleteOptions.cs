using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>metav1.DeleteOptions, sent as the DELETE body (kind/apiVersion included, as kubectl does).</summary>
public sealed record DeleteOptions
{
    public string Kind { get; set; } = "DeleteOptions";

    public string ApiVersion { get; set; } = "v1";

    public long? GracePeriodSeconds { get; set; }

    public Preconditions? Preconditions { get; set; }

    /// <summary>Foreground, Background or Orphan; see <see cref="PropagationPolicy"/>.</summary>
    public string? PropagationPolicy { get; set; }

    /// <summary>["All"] for a dry run.</summary>
    [JsonPropertyName("dryRun")]
    public List<string>? DryRun { get; set; }
}
