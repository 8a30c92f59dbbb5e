namespace ConsoleProxy.Tests.Architecture;

/// <summary>
/// Which node uses which (folders, namespaces), with the type-level uses behind each arrow so a failure can say
/// which code made it.
/// </summary>
public sealed class DependencyGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _arrows = new(StringComparer.Ordinal);

    public IEnumerable<string> Nodes => _arrows.Keys;

    public IEnumerable<(string From, string To)> Arrows =>
        _arrows.SelectMany(from => from.Value.Keys.Select(to => (from.Key, to)));

    public void AddNode(string node) => _arrows.TryAdd(node, new(StringComparer.Ordinal));

    /// <param name="because">What uses what, e.g. "Sessions.SessionAdmission uses Hosting.ProxyOptions".</param>
    public void AddArrow(string from, string to, string because)
    {
        AddNode(from);
        AddNode(to);
        var targets = _arrows[from];
        if (!targets.TryGetValue(to, out var reasons))
        {
            reasons = new(StringComparer.Ordinal);
            targets[to] = reasons;
        }

        reasons.Add(because);
    }

    public IReadOnlyCollection<string> ReasonsFor(string from, string to) =>
        _arrows.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var reasons) ? reasons : [];

    /// <summary>The same graph with each node renamed (several may become one; arrows inside one node vanish).</summary>
    public DependencyGraph Collapse(Func<string, string> rename)
    {
        var collapsed = new DependencyGraph();
        foreach (var node in Nodes)
        {
            collapsed.AddNode(rename(node));
        }

        foreach (var (from, to) in Arrows)
        {
            var (newFrom, newTo) = (rename(from), rename(to));
            if (newFrom != newTo)
            {
                foreach (var reason in ReasonsFor(from, to))
                {
                    collapsed.AddArrow(newFrom, newTo, reason);
                }
            }
        }

        return collapsed;
    }

    /// <summary>One cycle as the path that closes it (first node repeated at the end), or null when there is none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        // Depth-first search; a node met again while still on the path closes a cycle.
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var onPath = new HashSet<string>(StringComparer.Ordinal);

        List<string>? Visit(string node)
        {
            if (onPath.Contains(node))
            {
                return [.. path.Skip(path.IndexOf(node)), node];
            }

            if (!finished.Add(node))
            {
                return null;
            }

            path.Add(node);
            onPath.Add(node);
            foreach (var next in _arrows[node].Keys)
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            onPath.Remove(node);
            return null;
        }

        foreach (var node in Nodes)
        {
            if (Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    /// <summary>A cycle written out with the uses behind each of its arrows.</summary>
    public string Describe(IReadOnlyList<string> cycle)
    {
        var lines = new List<string> { string.Join(" -> ", cycle) };
        for (var i = 0; i + 1 < cycle.Count; i++)
        {
            var reasons = ReasonsFor(cycle[i], cycle[i + 1]);
            lines.Add($"  {cycle[i]} -> {cycle[i + 1]}: {string.Join("; ", reasons.Take(5))}{(reasons.Count > 5 ? $"; and {reasons.Count - 5} more" : "")}");
        }

        return string.Join('\n', lines);
    }
}
