namespace ConsoleProxy.Benchmarks.Report;

/// <summary>
/// One row of the table: a measured quantity with every run's value per system, reported as the
/// median, and the target for consoleproxy when there is one.
/// </summary>
public sealed class Figure(string name, string unit, bool higherIsBetter, string format)
{
    private readonly Dictionary<string, List<double>> _runs = [];

    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public bool HigherIsBetter { get; } = higherIsBetter;

    public string Format { get; } = format;

    /// <summary>What consoleproxy must reach, in words, and the check (given the medians by system).</summary>
    public (string Text, Func<Figure, bool> Met)? Target { get; init; }

    public void Add(string system, double value)
    {
        if (!_runs.TryGetValue(system, out var values))
        {
            _runs[system] = values = [];
        }

        values.Add(value);
    }

    /// <summary>The median of the runs (the middle one of three), or null when this system was not measured.</summary>
    public double? Median(string system)
    {
        if (!_runs.TryGetValue(system, out var values) || values.Count == 0)
        {
            return null;
        }

        var sorted = values.Where(value => !double.IsNaN(value)).Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public IReadOnlyList<double> Runs(string system) => _runs.GetValueOrDefault(system) ?? [];
}
