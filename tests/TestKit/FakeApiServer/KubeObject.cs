using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>Small helpers over an object held as JSON (the fake never binds to typed models).</summary>
public static class KubeObject
{
    // ObjectMeta in Go struct order: how built-in types serialize their metadata.
    private static readonly string[] MetadataOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    private static readonly string[] ManagedFieldsEntryOrder = ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"];

    /// <summary>The object's metadata, created empty when missing or not an object.</summary>
    public static JsonObject Metadata(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? MetadataString(JsonObject obj, string field) =>
        obj["metadata"] is JsonObject metadata && metadata[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string Name(JsonObject obj) => MetadataString(obj, "name") ?? string.Empty;

    public static string Namespace(JsonObject obj) => MetadataString(obj, "namespace") ?? string.Empty;

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray finalizers
            ? finalizers.Select(f => f?.GetValue<string>() ?? string.Empty).ToList()
            : [];

    public static bool IsTerminating(JsonObject obj) => MetadataString(obj, "deletionTimestamp") is not null;

    /// <summary>Reads a dotted path (<c>spec.renewTime</c>); null when any step is missing.</summary>
    public static JsonNode? At(JsonObject obj, string dottedPath)
    {
        JsonNode? node = obj;
        foreach (var part in dottedPath.Split('.'))
        {
            node = node is JsonObject map && map.TryGetPropertyValue(part, out var child) ? child : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>
    /// Puts keys in the order kube-apiserver writes them: custom resources are unstructured maps, which Go encodes
    /// with sorted keys at every level; built-ins put kind/apiVersion/metadata first and metadata in struct order.
    /// </summary>
    public static JsonObject InServerOrder(JsonObject obj, ResourceDescriptor resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.IsCustomResource)
        {
            return (JsonObject)SortKeys(obj)!;
        }

        var ordered = new JsonObject();
        foreach (var first in new[] { "kind", "apiVersion" })
        {
            if (obj.TryGetPropertyValue(first, out var value))
            {
                ordered[first] = value?.DeepClone();
            }
        }

        if (obj["metadata"] is JsonObject metadata)
        {
            ordered["metadata"] = OrderMetadata(metadata);
        }

        foreach (var (key, value) in obj)
        {
            if (key is not ("kind" or "apiVersion" or "metadata"))
            {
                ordered[key] = value?.DeepClone();
            }
        }

        return ordered;
    }

    private static JsonObject OrderMetadata(JsonObject metadata)
    {
        var ordered = new JsonObject();
        foreach (var key in MetadataOrder.Concat(metadata.Select(p => p.Key)).Distinct())
        {
            if (!metadata.TryGetPropertyValue(key, out var value))
            {
                continue;
            }

            if (key == "managedFields" && value is JsonArray entries)
            {
                var orderedEntries = new JsonArray();
                foreach (var entry in entries.OfType<JsonObject>())
                {
                    var orderedEntry = new JsonObject();
                    foreach (var entryKey in ManagedFieldsEntryOrder.Concat(entry.Select(p => p.Key)).Distinct())
                    {
                        if (entry.TryGetPropertyValue(entryKey, out var entryValue))
                        {
                            orderedEntry[entryKey] = entryValue?.DeepClone();
                        }
                    }

                    orderedEntries.Add(orderedEntry);
                }

                ordered[key] = orderedEntries;
            }
            else
            {
                ordered[key] = value?.DeepClone();
            }
        }

        return ordered;
    }

    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value)))),
        JsonArray list => new JsonArray(list.Select(SortKeys).ToArray()),
        _ => node?.DeepClone(),
    };
}
