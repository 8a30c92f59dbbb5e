using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TestKit.FakeApiServer;

/// <summary>
/// The structural-schema behaviour of a CRD version that clients notice: unknown fields are pruned (and reported
/// as warnings, or rejected under <c>fieldValidation=Strict</c>), and type/minimum/maximum/enum/required violations
/// are 422 causes worded as kube-apiserver words them (recorded in fixture 05). Lengths, item counts and patterns
/// are checked too, with the wording of kube-openapi; formats and CEL rules are not.
/// </summary>
public static class CustomResourceSchema
{
    /// <summary>Removes fields the schema does not declare; returns their dotted paths, sorted.</summary>
    public static IReadOnlyList<string> Prune(JsonObject obj, JsonObject? schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var unknown = new List<string>();
        if (schema is not null)
        {
            PruneNode(obj, schema, string.Empty, unknown, root: true);
        }

        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    /// <summary>The validation causes (reason, message, field) for an object already pruned.</summary>
    public static IReadOnlyList<(string Reason, string Message, string Field)> Validate(JsonObject obj, JsonObject? schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var causes = new List<(string, string, string)>();
        if (schema is not null)
        {
            ValidateNode(obj, schema, string.Empty, causes, root: true);
        }

        return causes;
    }

    private static void PruneNode(JsonNode? node, JsonObject schema, string path, List<string> unknown, bool root)
    {
        if ((bool?)schema["x-kubernetes-preserve-unknown-fields"] == true)
        {
            return;
        }

        if (node is JsonObject map && schema["properties"] is JsonObject properties)
        {
            foreach (var (key, child) in map.ToList())
            {
                if (root && key is "apiVersion" or "kind" or "metadata")
                {
                    continue;
                }

                var childPath = path.Length == 0 ? key : $"{path}.{key}";
                if (properties[key] is JsonObject childSchema)
                {
                    PruneNode(child, childSchema, childPath, unknown, root: false);
                }
                else
                {
                    unknown.Add(childPath);
                    map.Remove(key);
                }
            }
        }
        else if (node is JsonObject values && schema["additionalProperties"] is JsonObject valueSchema)
        {
            foreach (var (key, child) in values)
            {
                PruneNode(child, valueSchema, $"{path}.{key}", unknown, root: false);
            }
        }
        else if (node is JsonArray list && schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < list.Count; i++)
            {
                PruneNode(list[i], itemSchema, $"{path}[{i}]", unknown, root: false);
            }
        }
    }

    private static void ValidateNode(JsonNode? node, JsonObject schema, string path, List<(string, string, string)> causes, bool root)
    {
        if (node is null)
        {
            return;
        }

        var type = (string?)schema["type"];
        var actualType = TypeOf(node);
        if (!root && type is not null && !Matches(type, actualType))
        {
            causes.Add(("FieldValueTypeInvalid", $"Invalid value: \"{actualType}\": {path} in body must be of type {type}: \"{actualType}\"", path));
            return;
        }

        if (node is JsonValue value)
        {
            if (TryGetNumber(value, out var number))
            {
                if (schema["minimum"] is JsonValue min && TryGetNumber(min, out var minimum) && number < minimum)
                {
                    causes.Add(("FieldValueInvalid", $"Invalid value: {node.ToJsonString()}: {path} in body should be greater than or equal to {min.ToJsonString()}", path));
                }

                if (schema["maximum"] is JsonValue max && TryGetNumber(max, out var maximum) && number > maximum)
                {
                    causes.Add(("FieldValueInvalid", $"Invalid value: {node.ToJsonString()}: {path} in body should be less than or equal to {max.ToJsonString()}", path));
                }
            }

            if (value.TryGetValue<string>(out var text))
            {
                if (schema["minLength"] is JsonValue minLength && TryGetNumber(minLength, out var shortest) && text.Length < shortest)
                {
                    causes.Add(("FieldValueInvalid", $"Invalid value: {node.ToJsonString()}: {path} in body should be at least {shortest} chars long", path));
                }

                if (schema["maxLength"] is JsonValue maxLength && TryGetNumber(maxLength, out var longest) && text.Length > longest)
                {
                    causes.Add(("FieldValueTooLong", $"Too long: may not be longer than {longest}", path));
                }

                if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    causes.Add(("FieldValueInvalid", $"Invalid value: {node.ToJsonString()}: {path} in body should match '{pattern}'", path));
                }
            }

            if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
            {
                var list = string.Join(", ", allowed.Select(a => a!.ToJsonString()));
                causes.Add(("FieldValueNotSupported", $"Unsupported value: {node.ToJsonString()}: supported values: {list}", path));
            }

            return;
        }

        if (node is JsonObject map)
        {
            foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => (string)r!))
            {
                if (!map.ContainsKey(required) || map[required] is null)
                {
                    causes.Add(("FieldValueRequired", "Required value", path.Length == 0 ? required : $"{path}.{required}"));
                }
            }

            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (key, child) in map)
                {
                    if (root && key is "apiVersion" or "kind" or "metadata")
                    {
                        continue;
                    }

                    if (properties[key] is JsonObject childSchema)
                    {
                        ValidateNode(child, childSchema, path.Length == 0 ? key : $"{path}.{key}", causes, root: false);
                    }
                }
            }
        }
        else if (node is JsonArray items)
        {
            if (schema["minItems"] is JsonValue minItems && TryGetNumber(minItems, out var fewest) && items.Count < fewest)
            {
                causes.Add(("FieldValueInvalid", $"Invalid value: {items.Count}: {path} in body should have at least {fewest} items", path));
            }

            if (schema["maxItems"] is JsonValue maxItems && TryGetNumber(maxItems, out var most) && items.Count > most)
            {
                causes.Add(("FieldValueTooMany", $"Too many: {items.Count}: must have at most {most} items", path));
            }

            if (schema["items"] is JsonObject itemSchema)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    ValidateNode(items[i], itemSchema, $"{path}[{i}]", causes, root: false);
                }
            }
        }
    }

    // A JsonValue holds whatever CLR number it was built from (long from YAML, JsonElement from JSON).
    private static bool TryGetNumber(JsonValue value, out double number)
    {
        if (value.TryGetValue(out number))
        {
            return true;
        }

        if (value.TryGetValue<long>(out var integer))
        {
            number = integer;
            return true;
        }

        if (value.TryGetValue<int>(out var small))
        {
            number = small;
            return true;
        }

        if (value.TryGetValue<decimal>(out var exact))
        {
            number = (double)exact;
            return true;
        }

        return false;
    }

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        JsonValue v when v.TryGetValue<long>(out _) || v.TryGetValue<int>(out _) => "integer",
        _ => "number",
    };

    private static bool Matches(string schemaType, string actual) =>
        schemaType == actual || (schemaType == "number" && actual == "integer");
}
