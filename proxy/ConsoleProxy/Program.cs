using ConsoleProxy.Cli;
using ConsoleProxy.Hosting;

// `consoleproxy`: composition only; the verbs live in Cli/, the proxy in Hosting/.
InlineSocketCompletions.EnableUnlessConfigured();
StandardOutput.WriteEachCallInOneSystemCall();
return await ConsoleProxyCommandLine.RunAsync(args, CommandLineContext.Process, () => Console.In, CancellationToken.None);
