using System.Text.Json.Nodes;

namespace ConsoleOperator.Render;

/// <summary>
/// Finds the fields of a manifest its CRD schema does not have, the way `kubectl apply --validate=strict` reports
/// them: by path, with the schema's nearest name as a suggestion (`allowedTarget` -> `allowedTargets`). The API server
/// would prune them silently, so a typo would be lost instead of reviewed.
/// </summary>
public static class ManifestFieldCheck
{
    /// <summary>Each unknown field's path and the known field it was most likely meant to be, if any.</summary>
    public static IReadOnlyList<UnknownField> FindUnknown(JsonNode? document, JsonObject schema)
    {
        var found = new List<UnknownField>();
        Walk(document, schema, string.Empty, found);
        return found;
    }

    /// <summary>The schema's type for <paramref name="path"/> (`integer`, `string`, ...), or null where it has none.</summary>
    public static string? TypeAt(JsonObject schema, string path)
    {
        JsonObject? current = schema;
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var indexes = 0;
            while (name.EndsWith(']') && name.LastIndexOf('[') is var open and > 0)
            {
                name = name[..open];
                indexes++;
            }

            current = current?["properties"]?[name] as JsonObject ?? current?["additionalProperties"] as JsonObject;
            for (var index = 0; index < indexes; index++)
            {
                current = current?["items"] as JsonObject;
            }
        }

        return current?["type"]?.GetValue<string>();
    }

    private static void Walk(JsonNode? node, JsonObject schema, string path, List<UnknownField> found)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, value) in obj)
                {
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (properties[name] is JsonObject property)
                    {
                        Walk(value, property, child, found);
                    }
                    else if (!IsOpenObject(schema))
                    {
                        found.Add(new UnknownField(child, Closest(name, properties.Select(known => known.Key))));
                    }
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (name, value) in map)
                {
                    Walk(value, valueSchema, path.Length == 0 ? name : $"{path}.{name}", found);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var index = 0; index < array.Count; index++)
                {
                    Walk(array[index], itemSchema, $"{path}[{index}]", found);
                }

                break;
        }
    }

    private static bool IsOpenObject(JsonObject schema) => schema["additionalProperties"] is JsonValue open && open.GetValue<bool>();

    /// <summary>
    /// A known name equal but for case, one that starts with the name (`idleTimeout` for `idleTimeoutSeconds`), or one
    /// within a few edits; null when nothing is that close.
    /// </summary>
    private static string? Closest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase) ? 0
                : name.Length >= 4 && candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase) ? 1
                : EditDistance(name, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(2, name.Length / 4) ? best : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
