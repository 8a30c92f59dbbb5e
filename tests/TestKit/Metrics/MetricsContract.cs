using TestKit.Repository;

namespace TestKit.Metrics;

/// <summary>
/// The metric families a process promised its dashboards (tests/fixtures/metrics/NAME.txt): each must still be
/// exposed with the same type, labels and help. New families may be added; none may change or disappear.
/// </summary>
public static class MetricsContract
{
    public static IReadOnlyList<MetricFamilyShape> Load(string name)
    {
        var path = Checkout.File("tests", "fixtures", "metrics", name + ".txt");
        return [.. File.ReadAllLines(path).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(MetricFamilyShape.FromLine)];
    }

    /// <summary>Every family of the contract that the exposition breaks, each with what it is instead; empty when kept.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<MetricFamilyShape> contract, string exposition)
    {
        var exposed = ExpositionFamilies.Parse(exposition);
        var violations = new List<string>();
        foreach (var promised in contract)
        {
            if (!exposed.TryGetValue(promised.Name, out var actual))
            {
                violations.Add($"missing:  {promised.ToLine()}");
            }
            else if (!promised.SameShapeAs(actual))
            {
                violations.Add($"expected: {promised.ToLine()}\n  actual: {actual.ToLine()}");
            }
        }

        return violations;
    }

    /// <summary>The contract lines of every family in an exposition, sorted by name (to write a contract file).</summary>
    public static string Describe(string exposition) =>
        string.Join('\n', ExpositionFamilies.Parse(exposition).Values.OrderBy(family => family.Name, StringComparer.Ordinal).Select(family => family.ToLine())) + "\n";
}
