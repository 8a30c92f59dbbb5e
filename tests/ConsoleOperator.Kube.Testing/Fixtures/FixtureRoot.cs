namespace ConsoleOperator.Kube.Testing.Fixtures;

/// <summary>
/// Finds the recorded fixtures: <c>K8S_FIXTURES</c> when set, otherwise <c>../shared/k8s-fixtures</c> next to the
/// folder holding <c>ConsoleOperator.sln</c> (CI clones the repository with <c>shared/</c> beside it).
/// </summary>
public static class FixtureRoot
{
    public const string EnvironmentVariable = "K8S_FIXTURES";

    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var full = Path.GetFullPath(fromEnvironment);
            if (!File.Exists(Path.Combine(full, "index.json")))
            {
                throw new DirectoryNotFoundException(
                    $"{EnvironmentVariable}={fromEnvironment} does not point at a fixture folder (no index.json in {full}).");
            }

            return full;
        }

        var searched = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "ConsoleOperator.sln")))
            {
                continue;
            }

            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "k8s-fixtures"));
            searched.Add(candidate);
            if (File.Exists(Path.Combine(candidate, "index.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "The recorded Kubernetes fixtures were not found. Set " + EnvironmentVariable + " to the k8s-fixtures folder, "
            + "or place shared/k8s-fixtures beside the repository folder that holds ConsoleOperator.sln "
            + $"(searched up from {AppContext.BaseDirectory}; candidates: {(searched.Count == 0 ? "none, no ConsoleOperator.sln found" : string.Join(", ", searched))}).");
    }
}
