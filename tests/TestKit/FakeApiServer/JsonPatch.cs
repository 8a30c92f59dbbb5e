using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// RFC 6902 JSON Patch (add, remove, replace, move, copy, test) with RFC 6901 pointers, applied to a copy.
/// A failed <c>test</c> throws <see cref="JsonPatchTestFailedException"/>; any other problem a <see cref="FormatException"/>.
/// </summary>
public static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var root = new JsonObject { ["root"] = document?.DeepClone() };
        foreach (var node in operations)
        {
            if (node is not JsonObject operation)
            {
                throw new FormatException("a JSON patch operation must be an object");
            }

            var op = (string?)operation["op"] ?? throw new FormatException("a JSON patch operation needs \"op\"");
            var path = (string?)operation["path"] ?? throw new FormatException($"the \"{op}\" operation needs \"path\"");
            switch (op)
            {
                case "add":
                    Add(root, path, Value(operation, op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(operation, op));
                    break;
                case "move":
                    {
                        var from = (string?)operation["from"] ?? throw new FormatException("the \"move\" operation needs \"from\"");
                        var moved = Get(root, from)?.DeepClone();
                        Remove(root, from);
                        Add(root, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = (string?)operation["from"] ?? throw new FormatException("the \"copy\" operation needs \"from\"");
                        Add(root, path, Get(root, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), Value(operation, op)))
                    {
                        throw new JsonPatchTestFailedException(path);
                    }

                    break;
                default:
                    throw new FormatException($"Unexpected kind: {op}");
            }
        }

        return root["root"]?.DeepClone();
    }

    private static JsonNode? Value(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new FormatException($"the \"{op}\" operation needs \"value\"");

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new FormatException($"a JSON pointer must start with '/': {pointer}");
        }

        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    // The document sits under "root" so that the empty pointer (the whole document) needs no special case.
    private static (JsonNode Parent, string Token) Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        JsonNode parent = root;
        var token = "root";
        foreach (var next in tokens)
        {
            parent = Child(parent, token) ?? throw new FormatException($"missing path: {pointer}");
            token = next;
        }

        return (parent, token);
    }

    private static JsonNode? Child(JsonNode parent, string token) => parent switch
    {
        JsonObject map => map.TryGetPropertyValue(token, out var child) ? child : null,
        JsonArray list => int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count ? list[index] : null,
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        return parent switch
        {
            JsonObject map when map.TryGetPropertyValue(token, out var child) => child,
            JsonArray list when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count => list[index],
            _ => throw new FormatException($"missing path: {pointer}"),
        };
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map:
                map[token] = value;
                break;
            case JsonArray list when token == "-":
                list.Add(value);
                break;
            case JsonArray list when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= list.Count:
                list.Insert(index, value);
                break;
            default:
                throw new FormatException($"unable to add at {pointer}");
        }
    }

    private static void Remove(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject map when map.ContainsKey(token):
                map.Remove(token);
                break;
            case JsonArray list when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < list.Count:
                list.RemoveAt(index);
                break;
            default:
                throw new FormatException($"unable to remove nonexistent key: {pointer}: missing value");
        }
    }
}
