using System.Text.Json.Nodes;

namespace ConsoleOperator.Kube.Client.Patches;

/// <summary>
/// One RFC 6902 operation. A <c>test</c> on /metadata/resourceVersion makes a patch conditional: when it fails the
/// server answers 422 Invalid with a generic message and empty details (fixture 10/03), not 409.
/// </summary>
public sealed record JsonPatchOperation
{
    private JsonPatchOperation(string op, string path, JsonNode? value, string? from, bool hasValue)
    {
        Op = op;
        Path = path;
        Value = value;
        From = from;
        HasValue = hasValue;
    }

    public string Op { get; }

    /// <summary>A JSON Pointer; build segments with <see cref="JsonPointer.Escape"/>.</summary>
    public string Path { get; }

    /// <summary>The value of add/replace/test; may be JSON null.</summary>
    public JsonNode? Value { get; }

    public string? From { get; }

    /// <summary>Whether a <c>value</c> member is written (also when it is JSON null).</summary>
    public bool HasValue { get; }

    public static JsonPatchOperation Add(string path, JsonNode? value) => new("add", path, value, null, true);

    public static JsonPatchOperation Replace(string path, JsonNode? value) => new("replace", path, value, null, true);

    public static JsonPatchOperation Test(string path, JsonNode? value) => new("test", path, value, null, true);

    public static JsonPatchOperation Remove(string path) => new("remove", path, null, null, false);

    public static JsonPatchOperation Move(string from, string path) => new("move", path, null, from, false);

    public static JsonPatchOperation Copy(string from, string path) => new("copy", path, null, from, false);
}
