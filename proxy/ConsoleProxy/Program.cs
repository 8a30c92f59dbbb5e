using ConsoleProxy.Cli;

// `consoleproxy`: composition only; the verbs live in Cli/, the proxy in Hosting/.
return await ConsoleProxyCommandLine.RunAsync(args, CommandLineContext.Process, () => Console.In, CancellationToken.None);
