using ConsoleProxy.Cli;

namespace ConsoleProxy.Tests.Cli;

/// <summary>Runs `consoleproxy ...` in process with captured output and a given environment.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CommandLineContext(output, error, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null, TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await ConsoleProxyCommandLine.RunAsync(args, context, () => new StringReader(standardInput ?? string.Empty), timeout.Token);
        return (exitCode, output.ToString(), error.ToString());
    }
}
