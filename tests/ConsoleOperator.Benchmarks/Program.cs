using ConsoleOperator.Benchmarks;

// `mint [--count N] [--workers N]`: mints N ConsoleTokens through the controller and prints a Markdown table.
if (args.Length == 0 || args[0] != "mint")
{
    await Console.Error.WriteLineAsync("usage: ConsoleOperator.Benchmarks mint [--count 5000] [--workers 4]");
    return 2;
}

MintBenchmarkOptions options;
try
{
    options = MintBenchmarkOptions.Parse(args.AsSpan(1));
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}

using var timeout = new CancellationTokenSource(options.Timeout);
var report = await MintBenchmark.RunAsync(options, Console.Error, timeout.Token);
Console.WriteLine(report.ToMarkdown());
return report.Active == options.Count ? 0 : 1;
