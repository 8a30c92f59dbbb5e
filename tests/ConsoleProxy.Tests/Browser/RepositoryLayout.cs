namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// Where things are in the checkout, found from the test assembly's own location
/// (artifacts/bin/ConsoleProxy.Tests/&lt;configuration&gt;/), so tests run the same from `make test`,
/// `dotnet test` or an IDE.
/// </summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding ConsoleOperator.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Where failing browser tests leave their screenshots: next to the test results.</summary>
    public static string ScreenshotDirectory => Path.Combine(Root, "artifacts", "test-results", "browser");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ConsoleOperator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No ConsoleOperator.sln above {AppContext.BaseDirectory}: the tests must run from the repository's build output.");
    }
}
