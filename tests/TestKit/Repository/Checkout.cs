namespace TestKit.Repository;

/// <summary>
/// The checkout the tests run from (the folder holding ConsoleOperator.sln) and the build output of its programs
/// (artifacts/bin/PROJECT/CONFIGURATION, the same configuration as the running test assembly).
/// </summary>
public static class Checkout
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] relative) => Path.Combine([Root, .. relative]);

    /// <summary>A built program's file, e.g. BuiltProgram("ConsoleOperator", "console-operator.dll").</summary>
    public static string BuiltProgram(string project, string fileName)
    {
        // The test assembly runs from artifacts/bin/<test project>/<configuration>/: the program is its sibling.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(Root, "artifacts", "bin", project, configuration, fileName);
        if (!System.IO.File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is not built. Run `make build` (or reference {project} from the test project).");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "ConsoleOperator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no ConsoleOperator.sln above {AppContext.BaseDirectory}");
    }
}
