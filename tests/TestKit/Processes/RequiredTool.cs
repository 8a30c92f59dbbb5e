namespace TestKit.Processes;

/// <summary>
/// Finds an external program a test needs. `make test` installs every one of them; a test that
/// runs without it fails loudly here rather than skipping, so a missing tool never passes as green.
/// </summary>
public static class RequiredTool
{
    public static string Find(string name, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' is not installed. Run `make test` (it installs it) or `apt-get install {debianPackage}`.");
    }
}
