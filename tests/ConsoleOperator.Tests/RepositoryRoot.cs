namespace ConsoleOperator.Tests;

/// <summary>The checkout's root (the folder holding ConsoleOperator.sln), found from the test assembly.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ConsoleOperator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no ConsoleOperator.sln above {AppContext.BaseDirectory}");
    }
}
