using System.CommandLine;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Cli;

/// <summary>`consoleproxy token revoke TOKEN`: deletes it and tells every proxy to close its live sessions (4001).</summary>
public static class TokenRevokeCommand
{
    public static Command Create(CommandLineContext context)
    {
        var store = new TokenStoreOptionSet();
        var token = new Argument<string>("TOKEN") { Description = "The raw token (as in the access URL)" };
        var command = new Command("revoke", "Revoke a token: delete it and close its live sessions on every proxy");
        store.AddTo(command);
        command.Add(token);
        command.SetAction(async (result, cancellationToken) =>
        {
            var hash = TokenHash.Of(result.GetValue(token)!.Trim());
            var existed = false;
            var reached = await TokenStoreCalls.RunAsync(
                () => store.Read(result),
                context,
                async (tokenStore, ct) => existed = await tokenStore.RevokeAsync(hash, ct),
                cancellationToken);
            if (!reached)
            {
                return ExitCodes.Failed;
            }

            if (!existed)
            {
                await context.Error.WriteLineAsync($"token {hash.ShortForm} was not stored (unknown or expired); the revocation was published anyway");
                return ExitCodes.Failed;
            }

            await context.Output.WriteLineAsync($"revoked token {hash.ShortForm}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
