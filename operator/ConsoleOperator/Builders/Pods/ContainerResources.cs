using ConsoleOperator.Api.Common;
using k8s.Models;

namespace ConsoleOperator.Builders.Pods;

/// <summary>
/// A container's requests and limits: the ConsoleProxy's when it gives any, otherwise defaults sized for the
/// component. Defaults are never mixed into what a user wrote, because a default request could exceed a limit
/// they set (and Kubernetes already copies limits into missing requests).
/// </summary>
public sealed record ContainerResources(IReadOnlyDictionary<string, string> DefaultRequests, IReadOnlyDictionary<string, string> DefaultLimits)
{
    /// <summary>
    /// The proxy relays bytes with pooled buffers: little CPU per session and tens of KiB per session. No CPU
    /// limit, because throttling shows up as console lag.
    /// </summary>
    public static ContainerResources Proxy { get; } = new(
        new Dictionary<string, string>(StringComparer.Ordinal) { ["cpu"] = "50m", ["memory"] = "64Mi" },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["memory"] = "256Mi" });

    /// <summary>Redis holds one small hash per live token: a few MiB for tens of thousands of tokens.</summary>
    public static ContainerResources Redis { get; } = new(
        new Dictionary<string, string>(StringComparer.Ordinal) { ["cpu"] = "25m", ["memory"] = "32Mi" },
        new Dictionary<string, string>(StringComparer.Ordinal) { ["memory"] = "128Mi" });

    public V1ResourceRequirements For(ComputeResources? requested)
    {
        var requests = Copy(requested?.Requests);
        var limits = Copy(requested?.Limits);
        if (requests is null && limits is null)
        {
            return new V1ResourceRequirements
            {
                Requests = Quantities(DefaultRequests),
                Limits = DefaultLimits.Count == 0 ? null : Quantities(DefaultLimits),
            };
        }

        return new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    private static Dictionary<string, ResourceQuantity>? Copy(Dictionary<string, Quantity>? quantities) =>
        quantities is { Count: > 0 }
            ? quantities.ToDictionary(entry => entry.Key, entry => new ResourceQuantity(entry.Value.Value), StringComparer.Ordinal)
            : null;

    private static Dictionary<string, ResourceQuantity> Quantities(IReadOnlyDictionary<string, string> quantities) =>
        quantities.ToDictionary(entry => entry.Key, entry => new ResourceQuantity(entry.Value), StringComparer.Ordinal);
}
