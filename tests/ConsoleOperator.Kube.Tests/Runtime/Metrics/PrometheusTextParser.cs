using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

/// <summary>
/// An independent reader of the text exposition format 0.0.4, strict enough to reject what
/// Prometheus rejects: every line must be a HELP, TYPE or sample line; samples belong to a declared
/// family; a family is declared once; histogram buckets are cumulative and end with +Inf = _count.
/// </summary>
public static partial class PrometheusTextParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Help, string Type, List<Sample> Samples);

    public static IReadOnlyList<Family> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }

        var families = new List<Family>();
        var byName = new Dictionary<string, Family>(StringComparer.Ordinal);
        string? pendingHelpName = null;
        string? pendingHelp = null;
        foreach (var line in text.Split('\n').SkipLast(1))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                pendingHelpName = space < 0 ? rest : rest[..space];
                pendingHelp = space < 0 ? string.Empty : UnescapeHelp(rest[(space + 1)..]);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || !TypeNames().IsMatch(parts[1]) || !MetricName().IsMatch(parts[0]))
                {
                    throw new FormatException($"Bad TYPE line: {line}");
                }

                if (byName.ContainsKey(parts[0]))
                {
                    throw new FormatException($"Family {parts[0]} declared twice.");
                }

                if (pendingHelpName != parts[0])
                {
                    throw new FormatException($"TYPE {parts[0]} is not preceded by its HELP.");
                }

                var family = new Family(parts[0], pendingHelp ?? string.Empty, parts[1], []);
                families.Add(family);
                byName[family.Name] = family;
                continue;
            }

            if (line.StartsWith('#') || line.Length == 0)
            {
                throw new FormatException($"Unexpected line: '{line}'");
            }

            var sample = ParseSample(line);
            var owner = families.Count > 0 ? families[^1] : throw new FormatException($"Sample before any TYPE: {line}");
            var allowed = owner.Type == "histogram"
                ? new[] { owner.Name + "_bucket", owner.Name + "_sum", owner.Name + "_count" }
                : [owner.Name];
            if (!allowed.Contains(sample.Name))
            {
                throw new FormatException($"Sample {sample.Name} does not belong to family {owner.Name}.");
            }

            owner.Samples.Add(sample);
        }

        foreach (var family in families.Where(family => family.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return families;
    }

    private static Sample ParseSample(string line)
    {
        var name = MetricNamePrefix().Match(line);
        if (!name.Success)
        {
            throw new FormatException($"Bad sample line: '{line}'");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = name.Length;
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var label = LabelPair().Match(line, position);
                if (!label.Success || label.Index != position)
                {
                    throw new FormatException($"Bad labels in '{line}'");
                }

                if (!labels.TryAdd(label.Groups["name"].Value, UnescapeLabel(label.Groups["value"].Value)))
                {
                    throw new FormatException($"Label given twice in '{line}'");
                }

                position = label.Index + label.Length;
                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException($"Labels not separated by ',' in '{line}'");
                }
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"No value in '{line}'");
        }

        var value = line[(position + 1)..];
        if (value.Contains(' ', StringComparison.Ordinal))
        {
            throw new FormatException($"Timestamps are not expected and nothing else may follow the value: '{line}'");
        }

        return new Sample(name.Value, labels, ParseValue(value));
    }

    public static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static void CheckHistogram(Family family)
    {
        var series = family.Samples.GroupBy(sample => string.Join(",", sample.Labels.Where(label => label.Key != "le").Select(label => $"{label.Key}={label.Value}")));
        foreach (var one in series)
        {
            var buckets = one.Where(sample => sample.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            var count = one.Single(sample => sample.Name.EndsWith("_count", StringComparison.Ordinal)).Value;
            _ = one.Single(sample => sample.Name.EndsWith("_sum", StringComparison.Ordinal));
            var bounds = buckets.Select(bucket => ParseValue(bucket.Labels["le"])).ToList();
            if (!bounds.SequenceEqual(bounds.Order()) || !double.IsPositiveInfinity(bounds[^1]))
            {
                throw new FormatException($"Buckets of {family.Name} are not ordered or lack +Inf.");
            }

            var values = buckets.Select(bucket => bucket.Value).ToList();
            if (!values.SequenceEqual(values.Order()) || values[^1] != count)
            {
                throw new FormatException($"Buckets of {family.Name} are not cumulative or +Inf != _count.");
            }
        }
    }

    private static string UnescapeHelp(string text) => Unescape(text, allowQuote: false);

    private static string UnescapeLabel(string text) => Unescape(text, allowQuote: true);

    private static string Unescape(string text, bool allowQuote)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                builder.Append(text[i]);
                continue;
            }

            var next = ++i < text.Length ? text[i] : throw new FormatException("Dangling backslash.");
            builder.Append(next switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when allowQuote => '"',
                _ => throw new FormatException($"Unknown escape \\{next}."),
            });
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricNamePrefix();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^(counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeNames();
}
