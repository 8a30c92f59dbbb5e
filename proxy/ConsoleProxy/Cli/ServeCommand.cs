using System.CommandLine;
using System.Security.Cryptography;
using ConsoleProxy.Hosting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>`consoleproxy serve` (also what runs without a verb): the proxy until SIGTERM or Ctrl-C.</summary>
public static class ServeCommand
{
    public const string Description = "Serve the noVNC web client and relay token-authorized WebSocket sessions to VNC servers (the default verb)";

    public static Command Create(ServeOptions options, CommandLineContext context)
    {
        var command = new Command("serve", Description);
        options.AddTo(command);
        command.SetAction((result, cancellationToken) => RunAsync(options, result, context, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(ServeOptions options, ParseResult result, CommandLineContext context, CancellationToken cancellationToken)
    {
        var proxyOptions = options.Read(result);
        var errors = ProxyOptionsValidator.Validate(proxyOptions);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await context.Error.WriteLineAsync(error);
            }

            await context.Error.WriteLineAsync(ConsoleProxyCommandLine.UsageHint);
            return ExitCodes.Usage;
        }

        ProxyApplication proxy;
        try
        {
            proxy = await ProxyApplication.StartAsync(proxyOptions, context.TimeProvider, configureLogging: null, cancellationToken);
        }
        catch (TokenStoreRefusedException e)
        {
            // Redis answered and refused these options: retrying would only look like an outage. The refusal's name
            // is the reason the operator shows on the ConsoleProxy for the same failure.
            await context.Error.WriteLineAsync($"consoleproxy cannot start ({e.Refusal}): {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ArgumentException e)
        {
            // A CA or client certificate file that cannot be read.
            await context.Error.WriteLineAsync($"consoleproxy cannot start: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
        {
            // The port is taken, or the certificate cannot be loaded: one line, not a stack trace.
            await context.Error.WriteLineAsync($"consoleproxy cannot start: {e.Message}");
            return ExitCodes.Failed;
        }

        await using (proxy)
        {
            await proxy.WaitForShutdownAsync(cancellationToken);
        }

        return ExitCodes.Ok;
    }
}
