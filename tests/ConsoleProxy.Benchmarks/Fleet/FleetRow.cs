namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>One row of a fleet table: a cell per system (already formatted), consoleproxy's ratios, and the target.</summary>
public sealed record FleetRow(string Label, IReadOnlyDictionary<string, string> Cells, IReadOnlyList<string> Ratios, string Target = "", string Met = "");
