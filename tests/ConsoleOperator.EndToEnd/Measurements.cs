using ConsoleOperator.EndToEnd.Cluster;

namespace ConsoleOperator.EndToEnd;

/// <summary>Figures the suite measures, kept in artifacts/test-results/e2e-measurements.txt (tests/e2e/run.sh prints it).</summary>
public static class Measurements
{
    private static readonly Lock Gate = new();

    public static void Record(EndToEndSettings settings, string line)
    {
        var path = Path.Combine(settings.RepositoryRoot, "artifacts", "test-results", "e2e-measurements.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        lock (Gate)
        {
            File.AppendAllText(path, $"{DateTimeOffset.UtcNow:u} {line}{Environment.NewLine}");
        }
    }
}
