namespace TestKit.Metrics;

/// <summary>
/// What a dashboard depends on in one metric family: its name, type, label names (sorted; a histogram's
/// <c>le</c> is not one of them) and HELP text. Sample values are deliberately not part of it.
/// </summary>
public sealed record MetricFamilyShape(string Name, string Type, IReadOnlyList<string> LabelNames, string Help)
{
    /// <summary>One line of a contract file: name, type, labels (comma-separated, "-" for none) and help, tab-separated.</summary>
    public string ToLine() => string.Join('\t', Name, Type, LabelNames.Count == 0 ? "-" : string.Join(',', LabelNames), Help);

    public static MetricFamilyShape FromLine(string line)
    {
        var fields = line.Split('\t');
        if (fields.Length != 4)
        {
            throw new FormatException($"a metrics contract line needs 4 tab-separated fields (name, type, labels, help), got {fields.Length}: '{line}'");
        }

        var labels = fields[2] == "-" ? [] : fields[2].Split(',');
        return new MetricFamilyShape(fields[0], fields[1], labels, fields[3]);
    }

    public bool SameShapeAs(MetricFamilyShape other) =>
        Name == other.Name && Type == other.Type && Help == other.Help && LabelNames.SequenceEqual(other.LabelNames, StringComparer.Ordinal);
}
