using System.CommandLine;
using ConsoleProxy.Tokens.Import;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>
/// `consoleproxy token import FILE|-`: the migration path from websockify. Reads a TokenFile
/// (`token: host:port` per line), stores each token hashed with one expiry, reports refused lines
/// with their numbers (and exits 1 if there were any) while still storing the good ones. Writes are
/// pipelined (many in flight on the one connection), so ten thousand tokens take seconds.
/// </summary>
public static class TokenImportCommand
{
    // Enough in flight to fill the pipe to Redis; bounded so a huge file does not queue everything at once.
    private const int InFlight = 512;

    public static Command Create(CommandLineContext context, Func<TextReader> standardInput)
    {
        var store = new TokenStoreOptionSet();
        var ttl = CliOption.Duration("--ttl", "How long the imported tokens are valid", "600", zeroDisables: false);
        var file = new Argument<string>("FILE") { Description = "websockify TokenFile (`token: host:port` per line), or - for standard input" };
        var command = new Command("import", "Import a websockify TokenFile: store every token hashed, report refused lines");
        store.AddTo(command);
        command.Add(ttl);
        command.Add(file);
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            WebsockifyTokenFile parsed;
            try
            {
                if (path == "-")
                {
                    parsed = await WebsockifyTokenFile.ReadAsync(standardInput(), cancellationToken);
                }
                else
                {
                    using var reader = new StreamReader(path);
                    parsed = await WebsockifyTokenFile.ReadAsync(reader, cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"cannot read {path}: {e.Message}");
                return ExitCodes.Failed;
            }

            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"{(path == "-" ? "stdin" : path)}:{error.LineNumber}: {error.Reason}");
            }

            var expiresAt = context.TimeProvider.GetUtcNow() + CliOption.ReadDuration(result, ttl);
            var reached = await TokenStoreCalls.RunAsync(
                () => store.Read(result),
                context,
                (tokenStore, ct) => StoreAllAsync(tokenStore, parsed.Entries, expiresAt, ct),
                cancellationToken);
            if (!reached)
            {
                return ExitCodes.Failed;
            }

            await context.Output.WriteLineAsync($"imported {parsed.Entries.Count} token(s), refused {parsed.Errors.Count} line(s)");
            return parsed.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task StoreAllAsync(ITokenStore store, IReadOnlyList<WebsockifyTokenEntry> entries, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var pending = new List<Task>(InFlight);
        foreach (var entry in entries)
        {
            pending.Add(store.StoreAsync(entry.Hash, new TokenRecord(entry.Target, expiresAt), cancellationToken));
            if (pending.Count == InFlight)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }
}
