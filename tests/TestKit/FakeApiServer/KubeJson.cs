using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>Compact JSON as Go writes it: UTF-8 text unescaped (System.Text.Json escapes non-ASCII by default).</summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode? node) => node?.ToJsonString(Options) ?? "null";
}
