using System.CommandLine;

namespace ConsoleProxy.Cli;

/// <summary>`consoleproxy token ...`: manage tokens without Kubernetes, like websockify's token files.</summary>
public static class TokenCommand
{
    public static Command Create(CommandLineContext context, Func<TextReader> standardInput)
    {
        var command = new Command("token", "Create, revoke or import console tokens in the token store (setups without the operator)");
        command.Add(TokenCreateCommand.Create(context));
        command.Add(TokenRevokeCommand.Create(context));
        command.Add(TokenImportCommand.Create(context, standardInput));
        return command;
    }
}
