using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// Computes the field sets server-side apply works with, from objects held as JSON, and reads/removes the value
/// at a field path. Mirrors structured-merge-diff closely enough for the managedFields the operator produces.
/// </summary>
public static class FieldPaths
{
    // Metadata fields a manager can own; the rest is server-owned and never tracked.
    private static readonly HashSet<string> OwnedMetadata = ["generateName", "labels", "annotations", "finalizers", "ownerReferences"];

    // Built-in fields that are Go maps or pointers: they are members of an update set themselves ("." entries).
    // Plain structs such as spec/template are not. In custom resources every map is a member.
    private static readonly HashSet<string> BuiltInMemberMaps =
        ["labels", "annotations", "data", "binaryData", "rollingUpdate", "matchLabels", "nodeSelector", "requests", "limits"];

    /// <summary>The part of an object a manager can own for the given subresource.</summary>
    public static JsonObject Scope(JsonObject obj, ResourceDescriptor resource, bool statusSubresource)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(resource);
        var scoped = new JsonObject();
        if (statusSubresource)
        {
            if (obj["status"] is { } status)
            {
                scoped["status"] = status.DeepClone();
            }

            return scoped;
        }

        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (key == "status" && resource.HasStatusSubresource))
            {
                continue;
            }

            if (key == "metadata")
            {
                var metadata = new JsonObject();
                foreach (var (metaKey, metaValue) in value as JsonObject ?? [])
                {
                    if (OwnedMetadata.Contains(metaKey) && metaValue is not null)
                    {
                        metadata[metaKey] = metaValue.DeepClone();
                    }
                }

                scoped["metadata"] = metadata;
                continue;
            }

            scoped[key] = value?.DeepClone();
        }

        return scoped;
    }

    /// <summary>The fields an applied configuration sets: its leaves, atomic values and list elements.</summary>
    public static FieldSet ApplySet(JsonObject scopedConfig)
    {
        ArgumentNullException.ThrowIfNull(scopedConfig);
        var set = new FieldSet();
        var config = scopedConfig.DeepClone().AsObject();
        if (config["metadata"] is JsonObject { Count: 0 })
        {
            // Scoping keeps metadata as a container; without owned fields in it there is nothing to own.
            config.Remove("metadata");
        }

        WalkApplied(config, [], [], set);
        return set;
    }

    /// <summary>The fields a non-apply write added or changed (what its manager comes to own).</summary>
    public static FieldSet ChangedSet(JsonObject scopedOld, JsonObject scopedNew, bool customResource)
    {
        var set = new FieldSet();
        WalkChanged(scopedOld, scopedNew, [], [], set, customResource, root: true);
        return set;
    }

    /// <summary>Finds the value at a field path; <paramref name="found"/> says whether it exists.</summary>
    public static JsonNode? ValueAt(JsonNode? root, IReadOnlyList<string> path, out bool found)
    {
        var node = root;
        foreach (var element in path)
        {
            node = Step(node, element, out found);
            if (!found)
            {
                return null;
            }
        }

        found = true;
        return node;
    }

    /// <summary>Whether a value exists at the field path.</summary>
    public static bool Exists(JsonNode? root, IReadOnlyList<string> path)
    {
        ValueAt(root, path, out var found);
        return found;
    }

    /// <summary>Removes the value at a field path when it exists.</summary>
    public static void RemoveAt(JsonObject root, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count == 0)
        {
            return;
        }

        var parent = ValueAt(root, path.Take(path.Count - 1).ToList(), out var found);
        if (!found)
        {
            return;
        }

        var last = path[^1];
        switch (parent)
        {
            case JsonObject map when last.StartsWith("f:", StringComparison.Ordinal):
                map.Remove(last[2..]);

                // A map emptied by the removal goes too (labels: {} is not left behind), below the top level.
                if (map.Count == 0 && path.Count > 2)
                {
                    RemoveAt(root, path.Take(path.Count - 1).ToList());
                }

                break;
            case JsonArray list:
                {
                    var element = Step(list, last, out var exists);
                    if (exists)
                    {
                        list.Remove(element);
                    }

                    break;
                }
        }
    }

    private static JsonNode? Step(JsonNode? node, string element, out bool found)
    {
        found = false;
        if (element.StartsWith("f:", StringComparison.Ordinal))
        {
            if (node is JsonObject map && map.TryGetPropertyValue(element[2..], out var child))
            {
                found = true;
                return child;
            }

            return null;
        }

        if (node is not JsonArray list)
        {
            return null;
        }

        if (element.StartsWith("k:", StringComparison.Ordinal))
        {
            var key = JsonNode.Parse(element[2..])!.AsObject();
            foreach (var item in list.OfType<JsonObject>())
            {
                if (key.All(k => JsonNode.DeepEquals(ListMergeKeys.KeyValue(item, k.Key), k.Value)))
                {
                    found = true;
                    return item;
                }
            }

            return null;
        }

        if (element.StartsWith("v:", StringComparison.Ordinal))
        {
            var wanted = JsonNode.Parse(element[2..]);
            foreach (var item in list)
            {
                if (JsonNode.DeepEquals(item, wanted))
                {
                    found = true;
                    return item;
                }
            }
        }

        return null;
    }

    private static void WalkApplied(JsonObject map, List<string> elements, List<string> schema, FieldSet set)
    {
        foreach (var (key, value) in map)
        {
            elements.Add("f:" + key);
            schema.Add(key);
            switch (value)
            {
                case JsonObject child when child.Count > 0 && !ListMergeKeys.IsAtomicMap(schema, child):
                    WalkApplied(child, elements, schema, set);
                    break;
                case JsonArray list when ListMergeKeys.For(schema) is { } keys && list.All(e => e is JsonObject):
                    var atomicElements = ListMergeKeys.HasAtomicElements(schema);
                    schema.Add("[]");
                    foreach (var item in list.OfType<JsonObject>())
                    {
                        elements.Add(ListMergeKeys.KeyElement(item, keys));
                        set.Add(elements);
                        if (!atomicElements)
                        {
                            WalkApplied(item, elements, schema, set);
                        }

                        elements.RemoveAt(elements.Count - 1);
                    }

                    schema.RemoveAt(schema.Count - 1);
                    break;
                case JsonArray list when ListMergeKeys.IsSet(schema):
                    foreach (var item in list)
                    {
                        elements.Add("v:" + (item?.ToJsonString() ?? "null"));
                        set.Add(elements);
                        elements.RemoveAt(elements.Count - 1);
                    }

                    break;
                default:
                    set.Add(elements);
                    break;
            }

            elements.RemoveAt(elements.Count - 1);
            schema.RemoveAt(schema.Count - 1);
        }
    }

    private static void WalkChanged(JsonObject? oldMap, JsonObject newMap, List<string> elements, List<string> schema, FieldSet set, bool customResource, bool root)
    {
        foreach (var (key, value) in newMap)
        {
            elements.Add("f:" + key);
            schema.Add(key);
            JsonNode? oldValue = null;
            var existed = oldMap is not null && oldMap.TryGetPropertyValue(key, out oldValue);
            if (root && key == "metadata" && value is JsonObject metadata)
            {
                // metadata itself always exists: only what is inside it can be added or changed.
                WalkChanged(oldValue as JsonObject ?? [], metadata, elements, schema, set, customResource, root: false);
            }
            else if (!existed)
            {
                AddSubtree(value, elements, schema, set, customResource);
            }
            else if (value is JsonObject newChild && oldValue is JsonObject oldChild && newChild.Count > 0 && !ListMergeKeys.IsAtomicMap(schema, newChild))
            {
                WalkChanged(oldChild, newChild, elements, schema, set, customResource, root: false);
            }
            else if (value is JsonArray newList && oldValue is JsonArray oldList && ListMergeKeys.For(schema) is { } keys && newList.All(e => e is JsonObject))
            {
                var atomicElements = ListMergeKeys.HasAtomicElements(schema);
                schema.Add("[]");
                foreach (var item in newList.OfType<JsonObject>())
                {
                    elements.Add(ListMergeKeys.KeyElement(item, keys));
                    var match = oldList.OfType<JsonObject>().FirstOrDefault(o => ListMergeKeys.SameKey(o, item, keys));
                    if (match is null || (atomicElements && !JsonNode.DeepEquals(match, item)))
                    {
                        set.Add(elements);
                        if (!atomicElements)
                        {
                            AddChildren(item, elements, schema, set, customResource);
                        }
                    }
                    else if (!atomicElements)
                    {
                        WalkChanged(match, item, elements, schema, set, customResource, root: false);
                    }

                    elements.RemoveAt(elements.Count - 1);
                }

                schema.RemoveAt(schema.Count - 1);
            }
            else if (value is JsonArray newSet && oldValue is JsonArray oldSet && ListMergeKeys.IsSet(schema))
            {
                foreach (var item in newSet.Where(i => !oldSet.Any(o => JsonNode.DeepEquals(o, i))))
                {
                    elements.Add("v:" + (item?.ToJsonString() ?? "null"));
                    set.Add(elements);
                    elements.RemoveAt(elements.Count - 1);
                }
            }
            else if (!JsonNode.DeepEquals(value, oldValue))
            {
                AddSubtree(value, elements, schema, set, customResource);
            }

            elements.RemoveAt(elements.Count - 1);
            schema.RemoveAt(schema.Count - 1);
        }
    }

    private static void AddSubtree(JsonNode? value, List<string> elements, List<string> schema, FieldSet set, bool customResource)
    {
        switch (value)
        {
            case JsonObject map when map.Count > 0 && !ListMergeKeys.IsAtomicMap(schema, map):
                if (customResource || BuiltInMemberMaps.Contains(schema[^1]))
                {
                    set.Add(elements);
                }

                AddChildren(map, elements, schema, set, customResource);
                break;
            case JsonArray list when ListMergeKeys.For(schema) is { } keys && list.All(e => e is JsonObject):
                if (customResource)
                {
                    set.Add(elements);
                }

                var atomicItems = ListMergeKeys.HasAtomicElements(schema);
                if (atomicItems)
                {
                    set.Add(elements);
                }

                schema.Add("[]");
                foreach (var item in list.OfType<JsonObject>())
                {
                    elements.Add(ListMergeKeys.KeyElement(item, keys));
                    set.Add(elements);
                    if (!atomicItems)
                    {
                        AddChildren(item, elements, schema, set, customResource);
                    }

                    elements.RemoveAt(elements.Count - 1);
                }

                schema.RemoveAt(schema.Count - 1);
                break;
            case JsonArray list when ListMergeKeys.IsSet(schema):
                set.Add(elements);
                foreach (var item in list)
                {
                    elements.Add("v:" + (item?.ToJsonString() ?? "null"));
                    set.Add(elements);
                    elements.RemoveAt(elements.Count - 1);
                }

                break;
            default:
                set.Add(elements);
                break;
        }
    }

    private static void AddChildren(JsonObject map, List<string> elements, List<string> schema, FieldSet set, bool customResource)
    {
        foreach (var (key, child) in map)
        {
            elements.Add("f:" + key);
            schema.Add(key);
            AddSubtree(child, elements, schema, set, customResource);
            elements.RemoveAt(elements.Count - 1);
            schema.RemoveAt(schema.Count - 1);
        }
    }
}
