namespace ConsoleProxy.Tests.Architecture;

/// <summary>
/// The allowed arrows between folders as a design document writes them: the ```text block right after a marker
/// line, one folder per line, `Folder -> Other, Another` or just `Folder` when it uses no other.
/// </summary>
public static class DocumentedArrows
{
    public static DependencyGraph Read(string markdownPath, string marker)
    {
        var lines = File.ReadAllLines(markdownPath);
        var start = Array.FindIndex(lines, line => line.Contains(marker, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"{markdownPath} has no line with '{marker}' before the block of allowed arrows.");
        }

        var open = Array.FindIndex(lines, start + 1, line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
        var close = open < 0 ? -1 : Array.FindIndex(lines, open + 1, line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
        if (close < 0)
        {
            throw new InvalidOperationException($"{markdownPath}: no fenced block (```text ... ```) after the line with '{marker}'.");
        }

        var graph = new DependencyGraph();
        foreach (var (line, number) in lines[(open + 1)..close].Select((line, index) => (line.Trim(), open + 2 + index)))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split("->", 2, StringSplitOptions.TrimEntries);
            if (parts[0].Length == 0 || parts[0].Contains(' ', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{markdownPath}:{number}: '{line}' is not 'Folder -> Other, Another' or 'Folder'.");
            }

            graph.AddNode(parts[0]);
            foreach (var target in parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [])
            {
                graph.AddArrow(parts[0], target, $"{markdownPath}:{number}");
            }
        }

        return graph;
    }
}
