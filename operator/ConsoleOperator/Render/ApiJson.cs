using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Render;

/// <summary>
/// How the operator's own resources (ConsoleProxy, ConsoleToken) read from JSON: camelCase as in the CRD, enums
/// by name, and unknown fields refused, so a typo in a reviewed manifest fails `render` instead of being dropped.
/// </summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // Field names are case-sensitive on the API server: `publicUrl` is an unknown field there, not publicURL.
        PropertyNameCaseInsensitive = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
    };
}
