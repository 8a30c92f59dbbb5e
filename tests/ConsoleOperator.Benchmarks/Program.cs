using ConsoleOperator.Benchmarks;
using ConsoleOperator.Benchmarks.RealApiServer;

// `mint [--count N] [--workers N]`: mints N ConsoleTokens through the controller against the in-process fake API server.
// `mint-real [--count N] [--concurrency N]`: the same through a real kube-apiserver with `console-operator run` as a process.
if (args.Length == 0 || args[0] is not ("mint" or "mint-real"))
{
    await Console.Error.WriteLineAsync("usage: ConsoleOperator.Benchmarks mint|mint-real [--count 5000] [--workers 4] [--concurrency 16]");
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

if (args[0] == "mint-real")
{
    // A real API server is slower than the in-process one, and 10,000 tokens is the figure asked for.
    using var realTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
    var real = await RealServerMintBenchmark.RunAsync(options, Console.Error, realTimeout.Token);
    Console.WriteLine(real.ToMarkdown());
    return real.Active == options.Count ? 0 : 1;
}

using var timeout = new CancellationTokenSource(options.Timeout);
var report = await MintBenchmark.RunAsync(options, Console.Error, timeout.Token);
Console.WriteLine(report.ToMarkdown());
return report.Active == options.Count ? 0 : 1;
