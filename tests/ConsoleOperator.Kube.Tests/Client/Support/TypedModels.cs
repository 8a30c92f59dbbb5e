using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>The typed model for an apiVersion/kind pair, or null when the client models it only generically.</summary>
public static class TypedModels
{
    private static readonly Dictionary<(string, string), JsonTypeInfo> ByKind = new()
    {
        [("v1", "ConfigMap")] = KubernetesJsonContext.Default.ConfigMap,
        [("v1", "Secret")] = KubernetesJsonContext.Default.Secret,
        [("v1", "Service")] = KubernetesJsonContext.Default.Service,
        [("v1", "ServiceAccount")] = KubernetesJsonContext.Default.ServiceAccount,
        [("v1", "Namespace")] = KubernetesJsonContext.Default.Namespace,
        [("apps/v1", "Deployment")] = KubernetesJsonContext.Default.Deployment,
        [("policy/v1", "PodDisruptionBudget")] = KubernetesJsonContext.Default.PodDisruptionBudget,
        [("autoscaling/v2", "HorizontalPodAutoscaler")] = KubernetesJsonContext.Default.HorizontalPodAutoscaler,
        [("networking.k8s.io/v1", "NetworkPolicy")] = KubernetesJsonContext.Default.NetworkPolicy,
        [("events.k8s.io/v1", "Event")] = KubernetesJsonContext.Default.Event,
        [("apiextensions.k8s.io/v1", "CustomResourceDefinition")] = KubernetesJsonContext.Default.CustomResourceDefinition,
        [("v1", "Status")] = KubernetesJsonContext.Default.Status,
    };

    public static JsonTypeInfo? Find(string? apiVersion, string? kind) =>
        apiVersion is not null && kind is not null && ByKind.TryGetValue((apiVersion, kind), out var info) ? info : null;

    public static IEnumerable<(string ApiVersion, string Kind)> Kinds => ByKind.Keys;

    /// <summary>Removes null-valued members recursively: the models omit nulls on write, so this is the fair comparison.</summary>
    public static System.Text.Json.Nodes.JsonNode? WithoutNulls(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                var copy = new System.Text.Json.Nodes.JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (value is not null)
                    {
                        copy[key] = WithoutNulls(value);
                    }
                }

                return copy;
            case System.Text.Json.Nodes.JsonArray array:
                return new System.Text.Json.Nodes.JsonArray(array.Select(WithoutNulls).ToArray());
            default:
                return node?.DeepClone();
        }
    }

}
