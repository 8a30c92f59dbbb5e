using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>`consoleproxy sessions list`: who is connected, from the sessions every proxy publishes to the token store.</summary>
public static class SessionsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static Command Create(CommandLineContext context)
    {
        var command = new Command("sessions", "Live console sessions across every proxy of a token store (setups without the operator)");
        command.Add(CreateList(context));
        return command;
    }

    private static Command CreateList(CommandLineContext context)
    {
        var store = new TokenStoreOptionSet();
        var token = CliOption.Create<string>("--token", "Only the sessions of this raw token (it is hashed here, never sent)", helpName: "TOKEN");
        var output = CliOption.Create("--output", "text (a table) or json (an array of sessions)", () => "text");
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("list", $"List live sessions: token hash (short), owner, proxy instance, client, kind, view-only, started, bytes; a proxy that died stops listing its sessions within {SessionDirectory.TimeToLive.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        store.AddTo(command);
        command.Add(token);
        command.Add(output);
        command.SetAction(async (result, cancellationToken) =>
        {
            IReadOnlyList<PublishedSession> sessions = [];
            var reached = await TokenStoreCalls.RunAsync(
                () => store.Read(result),
                context,
                async (tokenStore, ct) =>
                {
                    var directory = new SessionDirectory((RedisTokenStore)tokenStore, context.TimeProvider, store.Read(result).OperationTimeout);
                    sessions = result.GetValue(token) is { Length: > 0 } raw
                        ? await directory.ListByTokenAsync(TokenHash.Of(raw.Trim()), ct)
                        : await directory.ListAllAsync(ct);
                },
                cancellationToken);
            if (!reached)
            {
                return ExitCodes.Failed;
            }

            if (result.GetValue(output) == "json")
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(sessions, Json));
                return ExitCodes.Ok;
            }

            await context.Output.WriteLineAsync("TOKEN\tOWNER\tPROXY\tSESSION\tCLIENT\tKIND\tVIEW-ONLY\tSTARTED\tBYTES-IN\tBYTES-OUT");
            foreach (var session in sessions)
            {
                await context.Output.WriteLineAsync(string.Join(
                    '\t',
                    session.TokenHash[..12],
                    session.Owner.Length == 0 ? "-" : session.Owner,
                    session.ProxyInstance,
                    session.SessionId.ToString(CultureInfo.InvariantCulture),
                    session.Client,
                    session.Kind,
                    session.ViewOnly ? "yes" : "no",
                    session.StartedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    session.BytesToTarget.ToString(CultureInfo.InvariantCulture),
                    session.BytesToClient.ToString(CultureInfo.InvariantCulture)));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
