using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// RFC 7386 JSON merge patch, plus the strategic-merge variant for built-ins: lists of objects whose elements
/// carry a merge key (containers by name, ports by containerPort, ...) are merged element-wise instead of replaced.
/// </summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Apply(target, patch, strategic: false, []);

    public static JsonNode? ApplyStrategic(JsonNode? target, JsonNode? patch) => Apply(target, patch, strategic: true, []);

    private static JsonNode? Apply(JsonNode? target, JsonNode? patch, bool strategic, List<string> path)
    {
        if (strategic && patch is JsonArray patchList && target is JsonArray targetList
            && ListMergeKeys.For(path) is { } keys && patchList.All(e => e is JsonObject))
        {
            return MergeKeyedLists(targetList, patchList, keys, path);
        }

        if (patch is not JsonObject patchMap)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject is { } targetMap ? targetMap.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchMap)
        {
            if (strategic && key.StartsWith('$'))
            {
                // Directives such as $patch/$retainKeys: the fake honours none of them and drops them.
                continue;
            }

            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            path.Add(key);
            result[key] = Apply(result.TryGetPropertyValue(key, out var existing) ? existing : null, value, strategic, path);
            path.RemoveAt(path.Count - 1);
        }

        return result;
    }

    private static JsonArray MergeKeyedLists(JsonArray target, JsonArray patch, IReadOnlyList<string> keys, List<string> path)
    {
        var result = target.DeepClone().AsArray();
        foreach (var element in patch.OfType<JsonObject>())
        {
            var match = result.OfType<JsonObject>().FirstOrDefault(existing => ListMergeKeys.SameKey(existing, element, keys));
            if (match is null)
            {
                result.Add(element.DeepClone());
                continue;
            }

            var index = result.IndexOf(match);
            path.Add("[]");
            result[index] = Apply(match, element, strategic: true, path);
            path.RemoveAt(path.Count - 1);
        }

        return result;
    }
}
