using System.Text.Json.Nodes;

namespace ConsoleOperator.Render;

/// <summary>
/// Fills in `default`s of a structural OpenAPI schema the way the API server does on create: a missing property
/// that has a default gets it; present objects and array items are defaulted recursively; absent objects stay absent.
/// </summary>
public static class SchemaDefaults
{
    public static void Apply(JsonNode? node, JsonObject schema)
    {
        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, propertySchema) in properties)
                {
                    if (propertySchema is not JsonObject property)
                    {
                        continue;
                    }

                    if (obj.TryGetPropertyValue(name, out var value) && value is not null)
                    {
                        Apply(value, property);
                    }
                    else if (!obj.ContainsKey(name) && property["default"] is { } defaultValue)
                    {
                        var filled = defaultValue.DeepClone();
                        obj[name] = filled;
                        Apply(filled, property);
                    }
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (_, value) in map)
                {
                    Apply(value, valueSchema);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array)
                {
                    Apply(item, itemSchema);
                }

                break;
        }
    }
}
