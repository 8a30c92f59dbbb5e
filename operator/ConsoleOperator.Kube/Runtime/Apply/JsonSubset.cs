using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConsoleOperator.Kube.Runtime.Apply;

/// <summary>
/// Whether what we would write is already there: every field of the desired JSON is present in the current JSON
/// with an equal value. Fields only the current JSON has (server defaults, other managers' fields) do not matter.
/// Arrays must have the same length and match item by item. Inside a <c>conditions</c> array, lastTransitionTime is
/// not compared when the status is the same: it is the server's record of when the status flipped, not content.
/// </summary>
public static class JsonSubset
{
    public static bool IsSubsetOf(JsonNode? desired, JsonNode? current) => Contains(current, desired, inConditions: false);

    private static bool Contains(JsonNode? current, JsonNode? desired, bool inConditions)
    {
        switch (desired)
        {
            case null:
                return current is null;
            case JsonObject desiredObject:
                if (current is not JsonObject currentObject)
                {
                    return false;
                }

                foreach (var (key, value) in desiredObject)
                {
                    if (inConditions && key == "lastTransitionTime" && SameStatus(desiredObject, currentObject))
                    {
                        continue;
                    }

                    if (!currentObject.TryGetPropertyValue(key, out var currentValue) || !Contains(currentValue, value, inConditions: key == "conditions"))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray desiredArray:
                if (current is not JsonArray currentArray || currentArray.Count != desiredArray.Count)
                {
                    return false;
                }

                for (var i = 0; i < desiredArray.Count; i++)
                {
                    if (!Contains(currentArray[i], desiredArray[i], inConditions))
                    {
                        return false;
                    }
                }

                return true;
            default:
                // Numbers compare by value (1 and 1.0 are equal), strings ordinally: JsonNode.DeepEquals' rules.
                return current is JsonValue && JsonNode.DeepEquals(current, desired);
        }
    }

    private static bool SameStatus(JsonObject desired, JsonObject current) =>
        desired.TryGetPropertyValue("status", out var a) && current.TryGetPropertyValue("status", out var b) && JsonNode.DeepEquals(a, b);
}
