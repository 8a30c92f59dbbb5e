using System.CommandLine;
using System.CommandLine.Help;

namespace ConsoleProxy.Cli;

/// <summary>
/// The `consoleproxy` command line: `serve` (also run when no verb is given, so the root takes the
/// serve options too) and `token create|revoke|import`. Usage errors exit 2, failures 1.
/// </summary>
public static class ConsoleProxyCommandLine
{
    /// <summary>The last line of every usage error, whether the parser or an option's validation found it.</summary>
    public const string UsageHint = "Run 'consoleproxy --help' (or 'consoleproxy <verb> --help') for usage.";

    public static RootCommand Build(CommandLineContext context, Func<TextReader> standardInput)
    {
        var serveOptions = new ServeOptions();
        var root = new RootCommand("consoleproxy: the noVNC web client and a token-authorized WebSocket-to-VNC relay. " + ServeCommand.Description + " when no verb is given.");
        serveOptions.AddTo(root);
        root.SetAction((result, cancellationToken) => ServeCommand.RunAsync(serveOptions, result, context, cancellationToken));
        root.Add(ServeCommand.Create(new ServeOptions(), context));
        root.Add(TokenCommand.Create(context, standardInput));
        root.Add(ConnectCommand.Create(context));
        root.Add(SessionsCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandLineContext context, Func<TextReader> standardInput, CancellationToken cancellationToken)
    {
        var root = Build(context, standardInput);
        var result = root.Parse(EnvironmentVariables.Apply(root, args, context.Environment));
        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,

            // The host handles SIGTERM itself (drain), so System.CommandLine must not cut it short.
            ProcessTerminationTimeout = null,
        };
        if (result.Errors.Count > 0 && result.Action is not HelpAction)
        {
            foreach (var error in result.Errors)
            {
                await context.Error.WriteLineAsync(error.Message);
            }

            await context.Error.WriteLineAsync(UsageHint);
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(invocation, cancellationToken);
    }
}
