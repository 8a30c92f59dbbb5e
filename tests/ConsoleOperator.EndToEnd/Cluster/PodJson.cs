using System.Text.Json;

namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>Reads a pod's state from `kubectl get -o json`.</summary>
public static class PodJson
{
    public static bool IsReady(JsonElement pod) =>
        pod.GetProperty("status").TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

    public static string Name(JsonElement pod) => pod.GetProperty("metadata").GetProperty("name").GetString()!;

    public static string Phase(JsonElement pod) => pod.GetProperty("status").GetProperty("phase").GetString() ?? "";
}
