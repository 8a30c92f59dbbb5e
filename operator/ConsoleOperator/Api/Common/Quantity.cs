using System.Text.Json.Serialization;

namespace ConsoleOperator.Api.Common;

/// <summary>
/// A Kubernetes resource quantity (`500m`, `128Mi`, `2`). Users write it as a string or a bare
/// number; both read into the same text, which is what the API server expects back.
/// </summary>
[JsonConverter(typeof(QuantityJsonConverter))]
public readonly record struct Quantity(string Value)
{
    /// <summary>The quantity grammar of k8s.io/apimachinery (sign, digits, optional fraction, suffix).</summary>
    public const string Pattern = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    public override string ToString() => Value;
}
