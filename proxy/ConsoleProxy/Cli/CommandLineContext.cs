namespace ConsoleProxy.Cli;

/// <summary>What a command runs against: output streams, the environment and the clock (tests pass their own).</summary>
public sealed record CommandLineContext(TextWriter Output, TextWriter Error, Func<string, string?> Environment, TimeProvider TimeProvider)
{
    public static CommandLineContext Process { get; } =
        new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable, TimeProvider.System);
}
