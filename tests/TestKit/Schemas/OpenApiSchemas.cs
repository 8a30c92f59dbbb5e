using System.Text.Json.Nodes;
using TestKit.Fixtures;

namespace TestKit.Schemas;

/// <summary>
/// The OpenAPI v3 documents recorded from kube-apiserver (k8s-fixtures/openapi), indexed by the
/// x-kubernetes-group-version-kind of their top-level schemas. <see cref="Validate"/> picks the schema from the
/// object's apiVersion/kind and checks the structural-schema subset the API server enforces.
/// </summary>
public sealed class OpenApiSchemas
{
    private static readonly Lazy<OpenApiSchemas> Recorded = new(() => Load(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<(string ApiVersion, string Kind), (JsonObject Document, string Name)> _byKind;

    private OpenApiSchemas(Dictionary<(string, string), (JsonObject, string)> byKind) => _byKind = byKind;

    /// <summary>The recorded documents, loaded once per process.</summary>
    public static OpenApiSchemas Shared => Recorded.Value;

    public IEnumerable<(string ApiVersion, string Kind)> Kinds => _byKind.Keys;

    /// <summary>Loads every *.json OpenAPI document in <paramref name="directory"/> (default: the fixtures' openapi folder).</summary>
    public static OpenApiSchemas Load(string? directory = null)
    {
        directory ??= Path.Combine(FixtureRoot.Locate(), "openapi");
        var byKind = new Dictionary<(string, string), (JsonObject, string)>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var document = JsonNode.Parse(File.ReadAllBytes(file))?.AsObject()
                ?? throw new FormatException($"{file} is not a JSON object");
            var schemas = document["components"]?["schemas"]?.AsObject()
                ?? throw new FormatException($"{file} has no components.schemas");
            foreach (var (name, schema) in schemas)
            {
                if (schema?["x-kubernetes-group-version-kind"] is not JsonArray kinds)
                {
                    continue;
                }

                foreach (var gvk in kinds)
                {
                    var group = (string?)gvk?["group"] ?? string.Empty;
                    var version = (string?)gvk?["version"] ?? string.Empty;
                    var kind = (string?)gvk?["kind"] ?? string.Empty;
                    var apiVersion = group.Length == 0 ? version : $"{group}/{version}";
                    // The meta types (DeleteOptions, WatchEvent...) are listed under every group; the first document wins.
                    byKind.TryAdd((apiVersion, kind), (document, name));
                }
            }
        }

        return new OpenApiSchemas(byKind);
    }

    public bool Knows(string apiVersion, string kind) => _byKind.ContainsKey((apiVersion, kind));

    /// <summary>
    /// Validates a whole object against the schema of its apiVersion/kind. Fields not declared by an object schema
    /// are reported (as the server's fieldValidation=Strict would) unless the schema preserves unknown fields.
    /// </summary>
    public IReadOnlyList<SchemaError> Validate(JsonNode? value)
    {
        if (value is not JsonObject obj)
        {
            return [new SchemaError("$", "a Kubernetes object must be a JSON object")];
        }

        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        if (apiVersion is null || kind is null)
        {
            return [new SchemaError("$", "apiVersion and kind are required to pick a schema")];
        }

        if (!_byKind.TryGetValue((apiVersion, kind), out var entry))
        {
            return [new SchemaError("$", $"no recorded schema for {apiVersion} {kind}")];
        }

        var validator = new SchemaValidator(entry.Document);
        return validator.Validate(value, $"#/components/schemas/{entry.Name}");
    }
}
