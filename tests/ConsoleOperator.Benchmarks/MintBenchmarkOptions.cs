using System.Globalization;

namespace ConsoleOperator.Benchmarks;

/// <summary>What the mint benchmark does: how many tokens, how many controller workers, how many creates in flight.</summary>
public sealed record MintBenchmarkOptions
{
    public int Count { get; init; } = 5000;

    /// <summary>Controller workers (the operator's default is 4).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>ConsoleToken creates in flight at once (a busy portal).</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>The whole run must finish within this (the benchmark is meant to take well under two minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    public static MintBenchmarkOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new MintBenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--count" => options with { Count = Positive(args[i], value) },
                "--workers" => options with { Workers = Positive(args[i], value) },
                "--concurrency" => options with { Concurrency = Positive(args[i], value) },
                _ => throw new FormatException($"unknown option {args[i]}; expected --count, --workers or --concurrency"),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new FormatException($"{name} must be a positive whole number, not '{value}'");
}
