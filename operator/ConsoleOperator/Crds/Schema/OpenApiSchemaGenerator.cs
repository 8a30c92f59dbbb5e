using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConsoleOperator.Api.Common;

namespace ConsoleOperator.Crds.Schema;

/// <summary>
/// Builds the structural OpenAPI v3 schema of a CRD version from the C# API types, so the types are
/// the single source of truth: the same records the controllers read are what the API server
/// validates. Property names follow System.Text.Json (camelCase or [JsonPropertyName]); the schema
/// attributes in this folder add what a type cannot say (required, ranges, patterns, defaults, CEL rules).
/// </summary>
public static class OpenApiSchemaGenerator
{
    public static JsonObject For(Type type) => Build(type, attributes: null);

    private static JsonObject Build(Type type, ICustomAttributeProvider? attributes)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schema = BuildForType(type);
        if (attributes is not null)
        {
            Decorate(schema, attributes);
        }

        return schema;
    }

    private static JsonObject BuildForType(Type type)
    {
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(double))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type == typeof(Quantity))
        {
            return new JsonObject { ["x-kubernetes-int-or-string"] = true };
        }

        if (type == typeof(JsonObject))
        {
            return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }

        if (type.IsEnum)
        {
            return new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray([.. Enum.GetNames(type).Select(name => (JsonNode)name)]),
            };
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Build(valueType, attributes: null) };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new JsonObject { ["type"] = "array", ["items"] = Build(itemType, attributes: null) };
        }

        return BuildObject(type);
    }

    private static JsonObject BuildObject(Type type)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always } ||
                property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null ||
                property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = JsonName(property);
            properties[name] = Build(property.PropertyType, property);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        var schema = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        schema["properties"] = properties;
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        AddValidationRules(schema, type);
        return schema;
    }

    private static void Decorate(JsonObject schema, ICustomAttributeProvider attributes)
    {
        if (Attribute<DescriptionAttribute>(attributes) is { } description)
        {
            schema["description"] = description.Description;
        }

        if (Attribute<FormatAttribute>(attributes) is { } format)
        {
            schema["format"] = format.Format;
        }

        if (Attribute<PatternAttribute>(attributes) is { } pattern)
        {
            schema["pattern"] = pattern.Pattern;
        }

        if (Attribute<RangeAttribute>(attributes) is { } range)
        {
            schema["minimum"] = range.Minimum;
            if (range.Maximum != long.MaxValue)
            {
                schema["maximum"] = range.Maximum;
            }
        }

        if (Attribute<ItemsAttribute>(attributes) is { } items)
        {
            if (items.MinItems > 0)
            {
                schema["minItems"] = items.MinItems;
            }

            if (items.MaxItems != int.MaxValue)
            {
                schema["maxItems"] = items.MaxItems;
            }

            if (items.ItemPattern is not null && schema["items"] is JsonObject itemSchema)
            {
                itemSchema["pattern"] = items.ItemPattern;
            }
        }

        if (Attribute<ListMapAttribute>(attributes) is { } listMap)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray([.. listMap.Keys.Select(key => (JsonNode)key)]);

            // The API server refuses a list-map key that an item may omit (it must be required or
            // defaulted), so every key is required in the item schema.
            if (schema["items"] is JsonObject item)
            {
                var required = item["required"] as JsonArray ?? [];
                foreach (var key in listMap.Keys.Where(key => !required.Any(existing => existing?.GetValue<string>() == key)))
                {
                    required.Add((JsonNode)key);
                }

                item["required"] = required;
            }
        }

        if (Attribute<IntOrStringAttribute>(attributes) is not null)
        {
            schema.Remove("type");
            schema.Remove("format");
            schema["x-kubernetes-int-or-string"] = true;
        }

        if (Attribute<DefaultAttribute>(attributes) is { } fallback)
        {
            schema["default"] = JsonValue.Create(fallback.Value);
        }

        AddValidationRules(schema, attributes);
    }

    private static void AddValidationRules(JsonObject schema, ICustomAttributeProvider attributes)
    {
        var rules = attributes.GetCustomAttributes(typeof(ValidationRuleAttribute), inherit: false).Cast<ValidationRuleAttribute>().ToList();
        if (rules.Count == 0)
        {
            return;
        }

        var list = schema["x-kubernetes-validations"] as JsonArray ?? [];
        foreach (var rule in rules)
        {
            list.Add(new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message });
        }

        schema["x-kubernetes-validations"] = list;
    }

    private static T? Attribute<T>(ICustomAttributeProvider provider)
        where T : Attribute =>
        provider.GetCustomAttributes(typeof(T), inherit: false).Cast<T>().FirstOrDefault();

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments() is [var key, var value] && key == typeof(string) ? value : null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
