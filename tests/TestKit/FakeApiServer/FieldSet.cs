using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// A set of field paths as server-side apply tracks them (structured-merge-diff): each path is a sequence of
/// elements <c>f:name</c> (map field), <c>k:{...}</c> (keyed list element) or <c>v:...</c> (set element).
/// Encodes to and decodes from the <c>FieldsV1</c> tree, where a member path that also has members below it
/// carries a <c>".": {}</c> entry.
/// </summary>
public sealed class FieldSet
{
    private const char Separator = '\u001f';
    private readonly HashSet<string> _paths;

    public FieldSet()
        : this(new HashSet<string>(StringComparer.Ordinal))
    {
    }

    private FieldSet(HashSet<string> paths) => _paths = paths;

    public int Count => _paths.Count;

    public bool IsEmpty => _paths.Count == 0;

    public IEnumerable<IReadOnlyList<string>> Paths => _paths.Select(Split);

    public static string Join(IEnumerable<string> elements) => string.Join(Separator, elements);

    public static IReadOnlyList<string> Split(string path) => path.Length == 0 ? [] : path.Split(Separator);

    public void Add(IEnumerable<string> path) => _paths.Add(Join(path));

    public bool Contains(IEnumerable<string> path) => _paths.Contains(Join(path));

    public FieldSet Clone() => new(new HashSet<string>(_paths, StringComparer.Ordinal));

    public FieldSet Union(FieldSet other) => new(new HashSet<string>(_paths.Concat(other._paths), StringComparer.Ordinal));

    public FieldSet Except(FieldSet other) => new(new HashSet<string>(_paths.Where(p => !other._paths.Contains(p)), StringComparer.Ordinal));

    public FieldSet Intersect(FieldSet other) => new(new HashSet<string>(_paths.Where(other._paths.Contains), StringComparer.Ordinal));

    public FieldSet Where(Func<IReadOnlyList<string>, bool> keep) =>
        new(new HashSet<string>(_paths.Where(p => keep(Split(p))), StringComparer.Ordinal));

    public bool SetEquals(FieldSet other) => _paths.SetEquals(other._paths);

    /// <summary>The <c>fieldsV1</c> JSON for this set.</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in _paths.OrderBy(p => p, StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in Split(path))
            {
                if (node[element] is not JsonObject child)
                {
                    child = [];
                    node[element] = child;
                }

                node = child;
            }
        }

        // A member with children gets "." (the member itself), inserted first as the server writes it.
        MarkMembers(root, []);
        return Sorted(root);
    }

    public static FieldSet FromFieldsV1(JsonObject? fieldsV1)
    {
        var set = new FieldSet();
        if (fieldsV1 is not null)
        {
            Collect(fieldsV1, [], set);
        }

        return set;
    }

    /// <summary>Renders a path the way conflict messages do: <c>.spec.containers[name="web"].image</c>.</summary>
    public static string Describe(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = new System.Text.StringBuilder();
        foreach (var element in path)
        {
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(element[2..]);
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal))
            {
                var key = JsonNode.Parse(element[2..])!.AsObject();
                text.Append('[').Append(string.Join(",", key.Select(k => $"{k.Key}={k.Value!.ToJsonString()}"))).Append(']');
            }
            else if (element.StartsWith("v:", StringComparison.Ordinal))
            {
                text.Append("[=").Append(element[2..]).Append(']');
            }
            else
            {
                text.Append('[').Append(element).Append(']');
            }
        }

        return text.ToString();
    }

    private void MarkMembers(JsonObject node, List<string> prefix)
    {
        foreach (var (element, child) in node.ToList())
        {
            if (element == "." || child is not JsonObject childMap)
            {
                continue;
            }

            prefix.Add(element);
            if (childMap.Count > 0 && _paths.Contains(Join(prefix)))
            {
                childMap["."] = new JsonObject();
            }

            MarkMembers(childMap, prefix);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    private static JsonObject Sorted(JsonObject node) =>
        new(node.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Sorted((JsonObject)p.Value!))));

    private static void Collect(JsonObject node, List<string> prefix, FieldSet set)
    {
        foreach (var (element, child) in node)
        {
            if (element == ".")
            {
                set.Add(prefix);
                continue;
            }

            prefix.Add(element);
            if (child is JsonObject childMap && childMap.Count > 0)
            {
                Collect(childMap, prefix, set);
            }
            else
            {
                set.Add(prefix);
            }

            prefix.RemoveAt(prefix.Count - 1);
        }
    }
}
