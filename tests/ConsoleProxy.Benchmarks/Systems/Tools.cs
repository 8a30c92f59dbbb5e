namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>Finds the programs the benchmark runs on the PATH, failing loudly (with the Debian package) when one is missing.</summary>
public static class Tools
{
    public static string Find(string name, string debianPackage)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{name} is not on the PATH: install the Debian package {debianPackage} (make deps)");
    }
}
