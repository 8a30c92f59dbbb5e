namespace TestKit.Fixtures;

/// <summary>
/// Finds the recorded fixtures: <c>K8S_FIXTURES</c> when set, otherwise <c>tests/fixtures/k8s-recordings</c> in the
/// repository (recordings of a real kube-apiserver v1.28.7: facts the tests replay, kept with the code that needs them).
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

            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "k8s-recordings");
            searched.Add(candidate);
            if (File.Exists(Path.Combine(candidate, "index.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "The recorded Kubernetes fixtures were not found. Set " + EnvironmentVariable + " to the recordings folder, "
            + "or run from a checkout that has tests/fixtures/k8s-recordings beside ConsoleOperator.sln "
            + $"(searched up from {AppContext.BaseDirectory}; candidates: {(searched.Count == 0 ? "none, no ConsoleOperator.sln found" : string.Join(", ", searched))}).");
    }
}
