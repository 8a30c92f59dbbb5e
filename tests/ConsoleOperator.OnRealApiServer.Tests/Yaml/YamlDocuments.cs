using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ConsoleOperator.OnRealApiServer.Tests.Yaml;

/// <summary>
/// Reads a YAML stream (the files in crds/ and examples/, `console-operator render` output) into JSON objects as the
/// API server reads YAML: plain scalars typed by YAML 1.2's core schema (integers, floats, booleans, null), quoted
/// ones kept as strings. Kept apart from the operator's YAML code so the tests read files independently of it.
/// </summary>
public static partial class YamlDocuments
{
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = new List<JsonObject>();
        foreach (var document in stream.Documents)
        {
            switch (ToJson(document.RootNode))
            {
                case JsonObject obj:
                    documents.Add(obj);
                    break;
                case null:
                    break; // an empty document (a comment before the first `---`)
                default:
                    throw new InvalidDataException($"a YAML document is not a mapping: {document.RootNode}");
            }
        }

        return documents;
    }

    public static JsonObject ParseSingle(string yaml) =>
        Parse(yaml) is [var only] ? only : throw new InvalidDataException("expected exactly one YAML document");

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node {node.NodeType}"),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
            _ when Float().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
