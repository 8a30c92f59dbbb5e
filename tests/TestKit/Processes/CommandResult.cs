namespace TestKit.Processes;

/// <summary>What a command run to completion left: its exit code and what it printed on each stream.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>For assertion messages: the exit code and both streams.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
