using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TestKit.FakeApiServer;

/// <summary>Reads request bodies: JSON, or YAML for <c>application/yaml</c> and <c>application/apply-patch+yaml</c>.</summary>
public static class BodyDecoder
{
    public static JsonNode? Decode(byte[] body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        var mediaType = MediaType(contentType);
        return mediaType is "application/yaml" or "application/apply-patch+yaml" ? FromYaml(Encoding.UTF8.GetString(body)) : FromJson(body);
    }

    /// <summary>The media type without parameters, lower-cased.</summary>
    public static string MediaType(string? contentType) =>
        (contentType ?? string.Empty).Split(';', 2)[0].Trim().ToLowerInvariant();

    /// <summary>
    /// Parses JSON the way Go's decoder does: a repeated key is not an error, the last value wins, and the repeated
    /// field paths are returned (kube-apiserver warns about them, or rejects them under fieldValidation=Strict).
    /// </summary>
    public static (JsonNode? Node, IReadOnlyList<string> DuplicateFields) DecodeJson(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var duplicates = new List<string>();
            return (FromElement(document.RootElement, string.Empty, duplicates), duplicates);
        }
        catch (JsonException error)
        {
            // Go's wording, with the start of the body the way apimachinery quotes it.
            var text = Encoding.UTF8.GetString(body);
            var snippet = text.Length > 30 ? text[..30] + " ..." : text;
            var reason = error.BytePositionInLine is not null && IsTruncated(body) ? "unexpected end of JSON input" : error.Message;
            throw new FormatException($"json parse error: {reason} ({snippet})", error);
        }
    }

    // A document that is valid so far but stops early (the reader ran out of input).
    private static bool IsTruncated(byte[] body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed < body.Length || reader.CurrentDepth > 0 || reader.TokenType != JsonTokenType.None;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonNode? FromJson(byte[] body) => DecodeJson(body).Node;

    private static JsonNode? FromElement(JsonElement element, string path, List<string> duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (map.ContainsKey(property.Name))
                    {
                        duplicates.Add(childPath);
                    }

                    map[property.Name] = FromElement(property.Value, childPath, duplicates);
                }

                return map;
            case JsonValueKind.Array:
                return new JsonArray(element.EnumerateArray().Select(item => FromElement(item, path, duplicates)).ToArray());
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            throw new FormatException($"yaml parse error: {error.Message}", error);
        }

        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, Convert(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"unsupported YAML node {node.NodeType}"),
    };

    // YAML 1.2 core schema for plain scalars; quoted scalars are always strings.
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(value.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && value.Any(char.IsAsciiDigit))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }
}
