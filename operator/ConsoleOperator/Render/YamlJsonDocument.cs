using System.Text.Json.Nodes;

namespace ConsoleOperator.Render;

/// <summary>
/// One YAML document as JSON, with the line (1-based) each field and list item starts on, keyed by its path
/// (`spec.tokens.allowedTargets[0]`).
/// </summary>
public sealed record YamlJsonDocument(JsonNode Json, IReadOnlyDictionary<string, int> Lines)
{
    /// <summary>The line of <paramref name="path"/>, or of the nearest enclosing field that has one.</summary>
    public int? LineOf(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
        {
            if (Lines.TryGetValue(current, out var line))
            {
                return line;
            }
        }

        return null;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? string.Empty : path[..cut];
    }
}
