namespace ConsoleProxy.Tests.Browser;

/// <summary>How a one-shot command ended: its exit code and what it printed on each stream.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
