using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TestKit.Schemas;

/// <summary>
/// A focused validator for the OpenAPI v3 structural-schema subset Kubernetes publishes: type, properties, required,
/// items, additionalProperties, enum, formats (int32, int64, date-time), allOf/oneOf/anyOf, $ref to
/// #/components/schemas, nullable, minimum/maximum, length, pattern, item counts, and the x-kubernetes-int-or-string,
/// x-kubernetes-preserve-unknown-fields and x-kubernetes-embedded-resource extensions.
/// </summary>
public sealed partial class SchemaValidator
{
    private const int MaxDepth = 64;

    private readonly JsonObject _document;

    public SchemaValidator(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        _document = document;
    }

    /// <summary>Validates <paramref name="value"/> against the schema a local $ref names.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode? value, string schemaRef)
    {
        var errors = new List<SchemaError>();
        Check(value, Resolve(schemaRef), "$", errors, 0);
        return errors;
    }

    private JsonObject Resolve(string reference)
    {
        const string prefix = "#/components/schemas/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local component references are supported, not '{reference}'");
        }

        return _document["components"]?["schemas"]?[reference[prefix.Length..]] as JsonObject
            ?? throw new KeyNotFoundException($"the document has no schema '{reference}'");
    }

    /// <summary>The schema and everything it pulls in through $ref and allOf: constraints of all of them apply.</summary>
    private List<JsonObject> Flatten(JsonObject schema, int depth)
    {
        var all = new List<JsonObject>();
        void Add(JsonObject s, int d)
        {
            if (d > MaxDepth)
            {
                throw new InvalidOperationException("schema references nest too deeply");
            }

            all.Add(s);
            if (s["$ref"] is JsonValue reference)
            {
                Add(Resolve((string)reference!), d + 1);
            }

            if (s["allOf"] is JsonArray allOf)
            {
                foreach (var part in allOf.OfType<JsonObject>())
                {
                    Add(part, d + 1);
                }
            }
        }

        Add(schema, depth);
        return all;
    }

    private void Check(JsonNode? value, JsonObject schema, string path, List<SchemaError> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add(new SchemaError(path, "the object nests too deeply"));
            return;
        }

        var parts = Flatten(schema, depth);
        if (value is null)
        {
            if (!parts.Any(p => (bool?)p["nullable"] == true))
            {
                errors.Add(new SchemaError(path, "null is not allowed here"));
            }

            return;
        }

        foreach (var part in parts)
        {
            CheckScalarConstraints(value, part, path, errors);
            CheckCombinators(value, part, path, errors, depth);
        }

        if (value is JsonObject obj)
        {
            CheckObject(obj, parts, path, errors, depth);
        }
        else if (value is JsonArray array)
        {
            foreach (var part in parts)
            {
                CheckArray(array, part, path, errors, depth);
            }
        }
    }

    private void CheckObject(JsonObject obj, List<JsonObject> parts, string path, List<SchemaError> errors, int depth)
    {
        var declared = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        JsonObject? additional = null;
        var additionalAllowed = false;
        var preserveUnknown = false;
        var hasProperties = false;
        foreach (var part in parts)
        {
            if (part["properties"] is JsonObject properties)
            {
                hasProperties = true;
                foreach (var (name, propertySchema) in properties)
                {
                    if (propertySchema is JsonObject ps)
                    {
                        (declared.TryGetValue(name, out var list) ? list : declared[name] = []).Add(ps);
                    }
                }
            }

            switch (part["additionalProperties"])
            {
                case JsonObject schema: additional = schema; break;
                case JsonValue flag when flag.GetValueKind() == JsonValueKind.True: additionalAllowed = true; break;
            }

            preserveUnknown |= (bool?)part["x-kubernetes-preserve-unknown-fields"] == true;
            if (part["required"] is JsonArray required)
            {
                foreach (var name in required.Select(r => (string?)r).OfType<string>())
                {
                    if (!obj.ContainsKey(name))
                    {
                        errors.Add(new SchemaError(path, $"required field '{name}' is missing"));
                    }
                }
            }
        }

        foreach (var (name, child) in obj)
        {
            var childPath = path + (SimpleName().IsMatch(name) ? "." + name : $"['{name}']");
            if (declared.TryGetValue(name, out var schemas))
            {
                foreach (var schema in schemas)
                {
                    Check(child, schema, childPath, errors, depth + 1);
                }
            }
            else if (additional is not null)
            {
                Check(child, additional, childPath, errors, depth + 1);
            }
            else if (hasProperties && !additionalAllowed && !preserveUnknown)
            {
                // No Kubernetes schema says additionalProperties: false; a declared property list is closed all the
                // same for the server's strict field validation, and that is what catches a typo in a builder.
                errors.Add(new SchemaError(childPath, $"unknown field '{name}'"));
            }
        }
    }

    private void CheckArray(JsonArray array, JsonObject schema, string path, List<SchemaError> errors, int depth)
    {
        if (schema["minItems"] is JsonValue minItems && array.Count < (long)minItems)
        {
            errors.Add(new SchemaError(path, $"needs at least {minItems} items, has {array.Count}"));
        }

        if (schema["maxItems"] is JsonValue maxItems && array.Count > (long)maxItems)
        {
            errors.Add(new SchemaError(path, $"allows at most {maxItems} items, has {array.Count}"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", errors, depth + 1);
            }
        }
    }

    private void CheckCombinators(JsonNode value, JsonObject schema, string path, List<SchemaError> errors, int depth)
    {
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var matches = oneOf.OfType<JsonObject>().Count(option => IsValid(value, option, path, depth));
            if (matches != 1)
            {
                errors.Add(new SchemaError(path, matches == 0 ? "matches none of the oneOf alternatives" : "matches more than one oneOf alternative"));
            }
        }

        if (schema["anyOf"] is JsonArray anyOf && !anyOf.OfType<JsonObject>().Any(option => IsValid(value, option, path, depth)))
        {
            errors.Add(new SchemaError(path, "matches none of the anyOf alternatives"));
        }
    }

    private bool IsValid(JsonNode value, JsonObject schema, string path, int depth)
    {
        var scratch = new List<SchemaError>();
        Check(value, schema, path, scratch, depth + 1);
        return scratch.Count == 0;
    }

    private static void CheckScalarConstraints(JsonNode value, JsonObject schema, string path, List<SchemaError> errors)
    {
        var kind = value.GetValueKind();
        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            if (kind != JsonValueKind.String && !IsInteger(value))
            {
                errors.Add(new SchemaError(path, "must be an integer or a string"));
            }

            return;
        }

        if (schema["type"] is JsonValue typeNode && !HasType(value, (string)typeNode!))
        {
            errors.Add(new SchemaError(path, $"must be of type {(string)typeNode!}, not {Describe(kind)}"));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(new SchemaError(path, $"{value.ToJsonString()} is not one of {allowed.ToJsonString()}"));
        }

        if (kind == JsonValueKind.Number)
        {
            CheckNumber(NumberOf(value), schema, path, errors);
        }
        else if (kind == JsonValueKind.String)
        {
            CheckString((string)value!, schema, path, errors);
        }
    }

    private static void CheckNumber(decimal number, JsonObject schema, string path, List<SchemaError> errors)
    {
        var format = (string?)schema["format"];
        if (format == "int32" && (number < int.MinValue || number > int.MaxValue))
        {
            errors.Add(new SchemaError(path, $"{number} does not fit in int32"));
        }
        else if (format == "int64" && (number < long.MinValue || number > long.MaxValue))
        {
            errors.Add(new SchemaError(path, $"{number} does not fit in int64"));
        }

        if (schema["minimum"] is JsonValue minimum)
        {
            var bound = NumberOf(minimum);
            var exclusive = (bool?)schema["exclusiveMinimum"] == true;
            if (number < bound || (exclusive && number == bound))
            {
                errors.Add(new SchemaError(path, $"{number} is below the minimum {bound}"));
            }
        }

        if (schema["maximum"] is JsonValue maximum)
        {
            var bound = NumberOf(maximum);
            var exclusive = (bool?)schema["exclusiveMaximum"] == true;
            if (number > bound || (exclusive && number == bound))
            {
                errors.Add(new SchemaError(path, $"{number} is above the maximum {bound}"));
            }
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, List<SchemaError> errors)
    {
        if (schema["minLength"] is JsonValue minLength && text.Length < (long)minLength)
        {
            errors.Add(new SchemaError(path, $"is shorter than {minLength} characters"));
        }

        if (schema["maxLength"] is JsonValue maxLength && text.Length > (long)maxLength)
        {
            errors.Add(new SchemaError(path, $"is longer than {maxLength} characters"));
        }

        if (schema["pattern"] is JsonValue pattern
            && !Regex.IsMatch(text, (string)pattern!, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add(new SchemaError(path, $"'{text}' does not match the pattern {(string)pattern!}"));
        }

        if ((string?)schema["format"] == "date-time" && !DateTime().IsMatch(text))
        {
            errors.Add(new SchemaError(path, $"'{text}' is not an RFC 3339 date-time"));
        }
    }

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value.GetValueKind() == JsonValueKind.String,
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value.GetValueKind() == JsonValueKind.Number,
        "integer" => IsInteger(value),
        _ => true,
    };

    private static bool IsInteger(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && NumberOf(value) is var number && number == decimal.Truncate(number);

    /// <summary>From the JSON text: a node may wrap a JsonElement or a CLR number, and only the text is common to both.</summary>
    private static decimal NumberOf(JsonNode value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"{value.ToJsonString()} is not a number the validator can compare");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SimpleName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTime();
}
