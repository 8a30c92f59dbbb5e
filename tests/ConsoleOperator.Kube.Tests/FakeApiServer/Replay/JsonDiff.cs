using System.Text.Json.Nodes;

namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>Lists where two JSON documents differ, as readable paths (for assertion messages).</summary>
public static class JsonDiff
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, int max = 12)
    {
        var differences = new List<string>();
        Walk(expected, actual, "$", differences, max);
        return differences;
    }

    /// <summary>Differences in key order (Status bodies must keep kind, apiVersion, metadata, status, message, reason, details, code).</summary>
    public static List<string> KeyOrderDifferences(JsonObject expected, JsonObject actual, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        var expectedKeys = expected.Select(p => p.Key).ToList();
        var actualKeys = actual.Select(p => p.Key).ToList();
        if (!expectedKeys.SequenceEqual(actualKeys))
        {
            differences.Add($"{path}: key order recorded [{string.Join(",", expectedKeys)}] vs fake [{string.Join(",", actualKeys)}]");
        }

        foreach (var (key, value) in expected)
        {
            if (value is JsonObject child && actual[key] is JsonObject actualChild)
            {
                differences.AddRange(KeyOrderDifferences(child, actualChild, $"{path}.{key}"));
            }
        }

        return differences;
    }

    private static void Walk(JsonNode? expected, JsonNode? actual, string path, List<string> differences, int max)
    {
        if (differences.Count >= max || JsonNode.DeepEquals(expected, actual))
        {
            return;
        }

        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    var inExpected = e.TryGetPropertyValue(key, out var ev);
                    var inActual = a.TryGetPropertyValue(key, out var av);
                    if (!inExpected)
                    {
                        differences.Add($"{path}.{key}: not recorded, fake has {Short(av)}");
                    }
                    else if (!inActual)
                    {
                        differences.Add($"{path}.{key}: recorded {Short(ev)}, fake has none");
                    }
                    else
                    {
                        Walk(ev, av, $"{path}.{key}", differences, max);
                    }
                }

                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    Walk(e[i], a[i], $"{path}[{i}]", differences, max);
                }

                break;
            default:
                differences.Add($"{path}: recorded {Short(expected)}, fake {Short(actual)}");
                break;
        }
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 300 ? text[..300] + "..." : text;
    }
}
