using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Builders.Pods;

/// <summary>Container lifecycle hooks (the client models the field as raw JSON).</summary>
public static class ContainerLifecycle
{
    /// <summary>
    /// A preStop hook that only waits, so the pod keeps serving while its endpoint is removed from Services and
    /// load balancers, before SIGTERM starts the drain. An exec of `sleep` (the images ship coreutils) rather
    /// than the newer `preStop.sleep` action, which clusters before 1.30 reject.
    /// </summary>
    public static JsonElement SleepBeforeStop(TimeSpan delay)
    {
        var lifecycle = new JsonObject
        {
            ["preStop"] = new JsonObject
            {
                ["exec"] = new JsonObject
                {
                    ["command"] = new JsonArray("sleep", ((long)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
                },
            },
        };
        return JsonSerializer.SerializeToElement<JsonNode>(lifecycle, KubernetesJsonContext.Default.JsonNode);
    }
}
