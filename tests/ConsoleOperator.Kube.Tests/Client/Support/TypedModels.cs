using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>The typed model for an apiVersion/kind pair, or null when the client models it only generically.</summary>
public static class TypedModels
{
    private static readonly Dictionary<(string, string), JsonTypeInfo> ByKind = new()
    {
        [("v1", "ConfigMap")] = EntityJson.TypeInfo<V1ConfigMap>(),
        [("v1", "Secret")] = EntityJson.TypeInfo<V1Secret>(),
        [("v1", "Service")] = EntityJson.TypeInfo<V1Service>(),
        [("v1", "ServiceAccount")] = EntityJson.TypeInfo<V1ServiceAccount>(),
        [("v1", "Namespace")] = EntityJson.TypeInfo<V1Namespace>(),
        [("apps/v1", "Deployment")] = EntityJson.TypeInfo<V1Deployment>(),
        [("policy/v1", "PodDisruptionBudget")] = EntityJson.TypeInfo<V1PodDisruptionBudget>(),
        [("autoscaling/v2", "HorizontalPodAutoscaler")] = EntityJson.TypeInfo<V2HorizontalPodAutoscaler>(),
        [("networking.k8s.io/v1", "NetworkPolicy")] = EntityJson.TypeInfo<V1NetworkPolicy>(),
        [("events.k8s.io/v1", "Event")] = EntityJson.TypeInfo<Eventsv1Event>(),
        [("apiextensions.k8s.io/v1", "CustomResourceDefinition")] = EntityJson.TypeInfo<V1CustomResourceDefinition>(),
        [("v1", "Status")] = EntityJson.TypeInfo<V1Status>(),
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
