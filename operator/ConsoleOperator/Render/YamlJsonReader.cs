using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConsoleOperator.Render;

/// <summary>
/// Reads a YAML stream (one or more `---` documents) into JSON, resolving plain scalars the way kubectl does
/// (sigs.k8s.io/yaml, YAML 1.1: `yes`/`on` are booleans, `6080` a number) while quoted scalars stay strings.
/// </summary>
public static partial class YamlJsonReader
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>The non-empty documents of the stream, in order.</summary>
    /// <exception cref="YamlException">The text is not YAML; the message says where.</exception>
    public static IReadOnlyList<JsonNode> ReadDocuments(string yaml) => [.. ReadDocumentsWithLines(yaml).Select(document => document.Json)];

    /// <summary>The non-empty documents with the line each field starts on, so an error can say where to look.</summary>
    /// <exception cref="YamlException">The text is not YAML; the message says where.</exception>
    public static IReadOnlyList<YamlJsonDocument> ReadDocumentsWithLines(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = new List<YamlJsonDocument>();
        foreach (var document in stream.Documents)
        {
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            if (Convert(document.RootNode, string.Empty, lines) is { } node)
            {
                // Re-read as JSON text so the values behave exactly as parsed JSON does (any numeric read, JsonElement access).
                documents.Add(new YamlJsonDocument(JsonNode.Parse(node.ToJsonString())!, lines));
            }
        }

        return documents;
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, int> lines) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping, path, lines),
        YamlSequenceNode sequence => ConvertSequence(sequence, path, lines),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping, string path, Dictionary<string, int> lines)
    {
        var json = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlException(key.Start, key.End, "only scalar mapping keys are supported");
            }

            if (json.ContainsKey(name))
            {
                throw new YamlException(key.Start, key.End, $"duplicate key '{name}'");
            }

            var child = path.Length == 0 ? name : $"{path}.{name}";
            lines[child] = (int)key.Start.Line;
            json[name] = Convert(value, child, lines);
        }

        return json;
    }

    private static JsonArray ConvertSequence(YamlSequenceNode sequence, string path, Dictionary<string, int> lines)
    {
        var json = new JsonArray();
        foreach (var item in sequence.Children)
        {
            var child = string.Create(CultureInfo.InvariantCulture, $"{path}[{json.Count}]");
            lines[child] = (int)item.Start.Line;
            json.Add(Convert(item, child, lines));
        }

        return json;
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag))
        {
            return JsonValue.Create(text);
        }

        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N")
        {
            return JsonValue.Create(false);
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (Float().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
