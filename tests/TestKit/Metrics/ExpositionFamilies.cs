using System.Text;

namespace TestKit.Metrics;

/// <summary>
/// Reads the families of a Prometheus text exposition (format 0.0.4): HELP and TYPE lines, and the label names its
/// samples carry. Fails on a family whose samples disagree on their label names, or a sample with no TYPE line.
/// </summary>
public static class ExpositionFamilies
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count", "_created"];

    public static IReadOnlyDictionary<string, MetricFamilyShape> Parse(string exposition)
    {
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                help[space < 0 ? rest : rest[..space]] = space < 0 ? string.Empty : UnescapeHelp(rest[(space + 1)..]);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                types[parts[0]] = parts[1];
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                var (series, names) = SampleLabels(line);
                var family = FamilyOf(series, types);
                var set = names.Where(name => !(types[family] == "histogram" && name == "le")).ToHashSet(StringComparer.Ordinal);
                if (labels.TryGetValue(family, out var seen))
                {
                    if (!seen.SetEquals(set))
                    {
                        throw new FormatException($"{family}'s samples carry different label names: [{string.Join(',', seen)}] and [{string.Join(',', set)}]");
                    }
                }
                else
                {
                    labels[family] = new SortedSet<string>(set, StringComparer.Ordinal);
                }
            }
        }

        return types.ToDictionary(
            pair => pair.Key,
            pair => new MetricFamilyShape(
                pair.Key,
                pair.Value,
                labels.TryGetValue(pair.Key, out var names) ? [.. names] : [],
                help.GetValueOrDefault(pair.Key, string.Empty)),
            StringComparer.Ordinal);
    }

    private static string FamilyOf(string series, Dictionary<string, string> types)
    {
        if (types.ContainsKey(series))
        {
            return series;
        }

        foreach (var suffix in HistogramSuffixes)
        {
            if (series.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(series[..^suffix.Length]))
            {
                return series[..^suffix.Length];
            }
        }

        throw new FormatException($"sample {series} belongs to no family with a TYPE line");
    }

    /// <summary>The series name and label names of one sample line (label values may hold any escaped character).</summary>
    private static (string Series, List<string> LabelNames) SampleLabels(string line)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (brace < 0 || (space >= 0 && space < brace))
        {
            return (space < 0 ? line : line[..space], []);
        }

        var names = new List<string>();
        var i = brace + 1;
        while (i < line.Length && line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            names.Add(line[i..equals].Trim().TrimStart(','));
            i = equals + 2;
            while (line[i] != '"')
            {
                i += line[i] == '\\' ? 2 : 1;
            }

            i++;
            if (line[i] == ',')
            {
                i++;
            }
        }

        return (line[..brace], names);
    }

    private static string UnescapeHelp(string escaped)
    {
        var text = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 1 < escaped.Length)
            {
                i++;
                text.Append(escaped[i] == 'n' ? '\n' : escaped[i]);
            }
            else
            {
                text.Append(escaped[i]);
            }
        }

        return text.ToString();
    }
}
