using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// Field ownership (<c>metadata.managedFields</c>) and server-side apply: what an update takes over, what an apply
/// owns, conflicts with other managers, <c>force</c>, and removal of fields an applier stopped sending.
/// </summary>
public static class ManagedFields
{
    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["metadata"]?["managedFields"] is JsonArray entries
            ? entries.OfType<JsonObject>().Select(ManagedFieldsEntry.FromJson).ToList()
            : [];
    }

    /// <summary>Writes entries in the server's order (Apply before Update, then time, manager, subresource).</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ordered = entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time, StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource, StringComparer.Ordinal)
            .Select(e => (JsonNode)e.ToJson())
            .ToArray();
        var metadata = KubeObject.Metadata(obj);
        if (ordered.Length == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = new JsonArray(ordered);
        }
    }

    /// <summary>True when two objects carry the same ownership (times ignored: a no-op write keeps the old times).</summary>
    public static bool SameOwnership(JsonObject a, JsonObject b)
    {
        var left = Read(a);
        var right = Read(b);
        return left.Count == right.Count && left.All(l => right.Any(r =>
            r.SameOwner(l.Manager, l.Operation, l.Subresource) && r.ApiVersion == l.ApiVersion && r.Fields.SetEquals(l.Fields)));
    }

    /// <summary>
    /// Records a create/update/patch by <paramref name="manager"/>: it comes to own every field it added or changed,
    /// other managers lose those fields, and fields that no longer exist leave every entry.
    /// </summary>
    public static void RecordUpdate(JsonObject? oldObject, JsonObject newObject, ResourceDescriptor resource, string manager, bool statusSubresource, string now)
    {
        ArgumentNullException.ThrowIfNull(newObject);
        ArgumentNullException.ThrowIfNull(resource);
        var entries = oldObject is null ? [] : Read(oldObject);
        var subresource = statusSubresource ? "status" : string.Empty;
        var changed = FieldPaths.ChangedSet(
            FieldPaths.Scope(oldObject ?? [], resource, statusSubresource),
            FieldPaths.Scope(newObject, resource, statusSubresource),
            resource.IsCustomResource);
        var own = entries.FirstOrDefault(e => e.SameOwner(manager, "Update", subresource));
        foreach (var entry in entries.Where(e => e != own))
        {
            entry.Fields = entry.Fields.Except(changed);
        }

        if (!changed.IsEmpty)
        {
            if (own is null)
            {
                own = new ManagedFieldsEntry(manager, "Update", resource.ApiVersion, now, subresource, changed);
                entries.Add(own);
            }
            else
            {
                own.Fields = own.Fields.Union(changed);
                own.Time = now;
                own.ApiVersion = resource.ApiVersion;
            }
        }

        Prune(entries, newObject);
        Write(newObject, entries);
    }

    /// <summary>
    /// Server-side apply of <paramref name="config"/> onto <paramref name="live"/> (an empty object for create-by-apply).
    /// Returns the merged object with updated managedFields; throws a 409 listing the conflicts unless forced.
    /// </summary>
    public static JsonObject Apply(JsonObject live, JsonObject config, ResourceDescriptor resource, string manager, bool force, bool statusSubresource, string now)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resource);
        var subresource = statusSubresource ? "status" : string.Empty;
        var entries = Read(live);
        var scopedConfig = FieldPaths.Scope(config, resource, statusSubresource);
        var applied = FieldPaths.ApplySet(scopedConfig);
        var own = entries.FirstOrDefault(e => e.SameOwner(manager, "Apply", subresource));

        var conflicts = new List<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)>();
        foreach (var entry in entries.Where(e => e != own))
        {
            foreach (var path in entry.Fields.Intersect(applied).Paths)
            {
                var liveValue = FieldPaths.ValueAt(live, path, out var inLive);
                var appliedValue = FieldPaths.ValueAt(scopedConfig, path, out _);
                var isElement = path[^1].StartsWith("k:", StringComparison.Ordinal) || path[^1].StartsWith("v:", StringComparison.Ordinal);
                if (inLive && !isElement && !JsonNode.DeepEquals(liveValue, appliedValue))
                {
                    conflicts.Add((entry, path));
                }
            }
        }

        if (conflicts.Count > 0)
        {
            if (!force)
            {
                throw ConflictError(conflicts);
            }

            foreach (var (owner, path) in conflicts)
            {
                var taken = new FieldSet();
                taken.Add(path);
                owner.Fields = owner.Fields.Except(taken);
            }
        }

        var ownedByOthers = entries.Where(e => e != own).Aggregate(new FieldSet(), (all, e) => all.Union(e.Fields));
        var dropped = (own?.Fields ?? new FieldSet()).Except(applied).Except(ownedByOthers);
        var merged = live.DeepClone().AsObject();
        // Whole list items first, then the deepest fields: an item's key fields are dropped with it, and an item
        // whose key is already gone can no longer be found (it stayed behind as an item without its key).
        foreach (var path in dropped.Paths.OrderBy(p => p[^1].StartsWith("k:", StringComparison.Ordinal) ? 0 : 1).ThenByDescending(p => p.Count))
        {
            FieldPaths.RemoveAt(merged, path);
        }

        MergeApplied(merged, scopedConfig, []);

        if (own is null)
        {
            own = new ManagedFieldsEntry(manager, "Apply", resource.ApiVersion, now, subresource, applied);
            entries.Add(own);
        }
        else
        {
            own.Fields = applied;
            own.Time = now;
            own.ApiVersion = resource.ApiVersion;
        }

        Prune(entries, merged);
        Write(merged, entries);
        return merged;
    }

    private static ApiStatusException ConflictError(List<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)> conflicts)
    {
        var causes = new JsonArray();
        var byOwner = conflicts.GroupBy(c => c.Owner.ConflictName).ToList();
        var parts = new List<string>();
        foreach (var group in byOwner)
        {
            var paths = group.Select(c => FieldSet.Describe(c.Path)).OrderBy(p => p, StringComparer.Ordinal).ToList();
            parts.Add(paths.Count == 1
                ? $"conflict with {group.Key}: {paths[0]}"
                : $"conflicts with {group.Key}:\n" + string.Join("\n", paths.Select(p => "- " + p)));
            foreach (var path in paths)
            {
                causes.Add(StatusErrors.Cause("FieldManagerConflict", $"conflict with {group.Key}", path));
            }
        }

        var count = conflicts.Count;
        var message = $"Apply failed with {count} conflict{(count == 1 ? string.Empty : "s")}: {string.Join("\n", parts)}";
        return StatusErrors.Failure(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    // Merges an applied configuration into the live object: maps recurse, keyed lists merge element by element,
    // sets take the union, everything else (scalars, atomic lists and maps) is replaced.
    private static void MergeApplied(JsonObject target, JsonObject config, List<string> schema)
    {
        foreach (var (key, value) in config)
        {
            schema.Add(key);
            var existing = target.TryGetPropertyValue(key, out var current) ? current : null;
            if (value is JsonObject configMap && existing is JsonObject targetMap && !ListMergeKeys.IsAtomicMap(schema, configMap))
            {
                MergeApplied(targetMap, configMap, schema);
            }
            else if (value is JsonArray configList && existing is JsonArray targetList && ListMergeKeys.For(schema) is { } keys
                && configList.All(e => e is JsonObject) && targetList.All(e => e is JsonObject))
            {
                schema.Add("[]");
                foreach (var item in configList.OfType<JsonObject>())
                {
                    var match = targetList.OfType<JsonObject>().FirstOrDefault(t => ListMergeKeys.SameKey(t, item, keys));
                    if (match is null)
                    {
                        targetList.Add(item.DeepClone());
                    }
                    else
                    {
                        MergeApplied(match, item, schema);
                    }
                }

                schema.RemoveAt(schema.Count - 1);
            }
            else if (value is JsonArray configSet && existing is JsonArray targetSet && ListMergeKeys.IsSet(schema))
            {
                foreach (var item in configSet.Where(i => !targetSet.Any(t => JsonNode.DeepEquals(t, i))))
                {
                    targetSet.Add(item?.DeepClone());
                }
            }
            else
            {
                target[key] = value?.DeepClone();
            }

            schema.RemoveAt(schema.Count - 1);
        }
    }

    private static void Prune(List<ManagedFieldsEntry> entries, JsonObject obj)
    {
        foreach (var entry in entries)
        {
            entry.Fields = entry.Fields.Where(path => FieldPaths.Exists(obj, path));
        }

        entries.RemoveAll(e => e.Fields.IsEmpty);
    }
}
