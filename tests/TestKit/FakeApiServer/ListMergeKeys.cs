using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The schema facts server-side apply and strategic merge patch need about lists, for the types the operator
/// writes: which lists are maps keyed by some fields (containers by name, ...), which are sets of scalars
/// (finalizers), and which maps are atomic (label selectors). Everything else is atomic, as for a custom resource
/// list without <c>x-kubernetes-list-type</c>. Paths are field names with "[]" for "an element of the list".
/// </summary>
public static class ListMergeKeys
{
    /// <summary>The key fields of the list at <paramref name="path"/>, or null when the list is atomic or a set.</summary>
    public static IReadOnlyList<string>? For(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count == 0)
        {
            return null;
        }

        var field = path[^1];
        var parent = path.Count >= 3 ? path[^3] : null;
        return field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => ["name"],
            "ports" when parent is "containers" or "initContainers" or "ephemeralContainers" => ["containerPort", "protocol"],
            "ports" when path.Count >= 2 && path[^2] == "spec" => ["port", "protocol"],
            "volumeMounts" => ["mountPath"],
            "volumeDevices" => ["devicePath"],
            "conditions" => ["type"],
            "ownerReferences" => ["uid"],
            "hostAliases" => ["ip"],
            "topologySpreadConstraints" => ["topologyKey", "whenUnsatisfiable"],
            _ => null,
        };
    }

    /// <summary>Lists of scalars that merge as sets (<c>v:</c> elements in managedFields).</summary>
    public static bool IsSet(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Count == 2 && path[0] == "metadata" && path[1] == "finalizers";
    }

    // Built-in fields whose value is replaced as a whole: LabelSelector and the key/field selectors are
    // structType=atomic, a Service's selector map is mapType=atomic.
    private static readonly HashSet<string> AtomicMaps =
        ["selector", "podSelector", "namespaceSelector", "configMapKeyRef", "secretKeyRef", "fieldRef", "resourceFieldRef"];

    /// <summary>Maps replaced as a whole (owned as one field, merged by replacement).</summary>
    public static bool IsAtomicMap(IReadOnlyList<string> path, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(value);
        return path.Count > 0 && AtomicMaps.Contains(path[^1]);
    }

    /// <summary>Keyed lists whose elements are atomic (an OwnerReference is owned as one element, no sub-fields).</summary>
    public static bool HasAtomicElements(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Count > 0 && path[^1] == "ownerReferences";
    }

    /// <summary>The value of a key field, with the server default applied (a port's protocol defaults to TCP).</summary>
    public static JsonNode? KeyValue(JsonObject element, string key)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.TryGetPropertyValue(key, out var value) && value is not null
            ? value
            : key == "protocol" ? JsonValue.Create("TCP") : null;
    }

    public static bool SameKey(JsonObject a, JsonObject b, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.All(k => JsonNode.DeepEquals(KeyValue(a, k), KeyValue(b, k)));
    }

    /// <summary>The managedFields element name <c>k:{"name":"web"}</c> (keys in schema order, compact JSON).</summary>
    public static string KeyElement(JsonObject element, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var key = new JsonObject();
        foreach (var k in keys)
        {
            if (KeyValue(element, k) is { } value)
            {
                key[k] = value.DeepClone();
            }
        }

        return "k:" + key.ToJsonString();
    }
}
