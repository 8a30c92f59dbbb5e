using TestKit.Repository;

namespace TestKit.Processes;

/// <summary>
/// The built proxy the browser tests run as a real child process: consoleproxy.dll with the
/// noVNC client in novnc/ next to it. Building this test project builds the proxy (a project
/// reference), into artifacts/bin/ConsoleProxy/&lt;configuration&gt;/ beside this assembly's folder.
/// </summary>
public sealed class ProxyBuildOutput
{
    private ProxyBuildOutput(string directory, string dotnet)
    {
        Directory = directory;
        Dotnet = dotnet;
    }

    public string Directory { get; }

    public string Assembly => Path.Combine(Directory, "consoleproxy.dll");

    public string WebDirectory => Path.Combine(Directory, "novnc");

    /// <summary>The dotnet host that runs <see cref="Assembly"/>: the one running the tests when known.</summary>
    public string Dotnet { get; }

    public static ProxyBuildOutput Find()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Name;
        var candidates = new[]
        {
            Path.Combine(Checkout.Root, "artifacts", "bin", "ConsoleProxy", configuration),
            testOutput.FullName,
        };
        foreach (var candidate in candidates)
        {
            if (File.Exists(Path.Combine(candidate, "consoleproxy.dll"))
                && File.Exists(Path.Combine(candidate, "novnc", "vnc_lite.html")))
            {
                return new ProxyBuildOutput(candidate, FindDotnet());
            }
        }

        throw new InvalidOperationException(
            "The built proxy (consoleproxy.dll with novnc/vnc_lite.html next to it) is in none of: "
            + string.Join(", ", candidates) + ". Build it: `dotnet build proxy/ConsoleProxy` (a test project that runs it references it with ReferenceOutputAssembly=false).");
    }

    private static string FindDotnet()
    {
        // `dotnet test` tells its children which host it is; outside it, the one on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : RequiredTool.Find("dotnet", "dotnet-sdk-10.0");
    }
}
