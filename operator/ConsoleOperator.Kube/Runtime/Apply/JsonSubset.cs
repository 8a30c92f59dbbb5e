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

    private static bool Contains(JsonNode? current, JsonNode? desired, bool inConditions) => desired switch
    {
        null => current is null,
        JsonObject wanted => current is JsonObject have && wanted.All(field =>
            (inConditions && field.Key == "lastTransitionTime" && SameStatus(wanted, have))
            || (have.TryGetPropertyValue(field.Key, out var value) && Contains(value, field.Value, field.Key == "conditions"))),
        JsonArray wanted => current is JsonArray have && have.Count == wanted.Count
            && have.Zip(wanted).All(pair => Contains(pair.First, pair.Second, inConditions)),
        // Numbers compare by value (1 and 1.0 are equal), strings ordinally: JsonNode.DeepEquals' rules.
        _ => current is JsonValue && JsonNode.DeepEquals(current, desired),
    };

    private static bool SameStatus(JsonObject desired, JsonObject current) =>
        desired.TryGetPropertyValue("status", out var a) && current.TryGetPropertyValue("status", out var b) && JsonNode.DeepEquals(a, b);
}
