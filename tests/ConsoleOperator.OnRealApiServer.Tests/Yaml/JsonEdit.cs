using System.Text.Json.Nodes;

namespace ConsoleOperator.OnRealApiServer.Tests.Yaml;

/// <summary>Edits a copy of an object at a dotted path (`spec.tokens.maxTTLSeconds`): set a JSON value, or remove the field.</summary>
public static class JsonEdit
{
    /// <param name="json">The new value as JSON text, or null to remove the field.</param>
    public static JsonObject With(JsonObject original, string path, string? json)
    {
        var copy = original.DeepClone().AsObject();
        var names = path.Split('.');
        var parent = copy;
        foreach (var name in names[..^1])
        {
            parent = parent[name] as JsonObject ?? throw new ArgumentException($"{path}: '{name}' is not an object in {original.ToJsonString()}", nameof(path));
        }

        if (json is null)
        {
            Assert.True(parent.Remove(names[^1]), $"{path} is not in {original.ToJsonString()}");
        }
        else
        {
            parent[names[^1]] = JsonNode.Parse(json);
        }

        return copy;
    }
}
