using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using k8s.Models;
using ApiToleration = ConsoleOperator.Api.Common.Toleration;

namespace ConsoleOperator.Builders.Pods;

/// <summary>Where pods may run: the ConsoleProxy's affinity and tolerations, or a spread across nodes by default.</summary>
public static class PodScheduling
{
    public const string HostnameTopologyKey = "kubernetes.io/hostname";

    /// <summary>
    /// The ConsoleProxy's affinity as written, or a preferred anti-affinity that puts the proxy pods on different
    /// nodes, so losing one node does not take every console down. Preferred, not required: a small cluster
    /// still runs all replicas.
    /// </summary>
    public static V1Affinity Affinity(JsonObject? requested, string proxyName, Component component)
    {
        var affinity = requested?.DeepClone() ?? new JsonObject
        {
            ["podAntiAffinity"] = new JsonObject
            {
                ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                {
                    ["weight"] = 100,
                    ["podAffinityTerm"] = new JsonObject
                    {
                        ["topologyKey"] = HostnameTopologyKey,
                        ["labelSelector"] = new JsonObject
                        {
                            ["matchLabels"] = ToJson(ObjectLabels.Selector(proxyName, component)),
                        },
                    },
                }),
            },
        };
        return affinity.Deserialize(EntityJson.TypeInfo<V1Affinity>())
            ?? throw new InvalidOperationException("an affinity cannot be JSON null");
    }

    public static List<V1Toleration>? Tolerations(List<ApiToleration>? requested) =>
        requested is { Count: > 0 }
            ? [.. requested.Select(toleration => new V1Toleration
            {
                Key = toleration.Key,
                OperatorProperty = toleration.Operator,
                Value = toleration.Value,
                Effect = toleration.Effect,
                TolerationSeconds = toleration.TolerationSeconds,
            })]
            : null;

    public static Dictionary<string, string>? NodeSelector(Dictionary<string, string>? requested) =>
        requested is { Count: > 0 } ? new Dictionary<string, string>(requested, StringComparer.Ordinal) : null;

    private static JsonObject ToJson(Dictionary<string, string> labels)
    {
        var json = new JsonObject();
        foreach (var (key, value) in labels)
        {
            json[key] = value;
        }

        return json;
    }
}
