using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Tokens.Urls;
using ConsoleProxy.Tunnel;

namespace ConsoleProxy.Cli;

/// <summary>
/// `consoleproxy connect URL`: a local port for a native VNC viewer (TigerVNC, Remmina, vncsnapshot) that carries
/// one session through the proxy with the access URL's token, as `virtctl vnc --proxy-only` does for KubeVirt.
/// </summary>
public static class ConnectCommand
{
    public static Command Create(CommandLineContext context)
    {
        var url = new Argument<string>("URL") { Description = "The access URL (from the ConsoleToken's Secret, either of nova's shapes) or a ws(s):// console address" };
        var listen = CliOption.Create("--listen", "Local address for the VNC viewer; port 0 picks a free one", () => "127.0.0.1:0", "ADDRESS:PORT");
        var ca = CliOption.Create<string>("--ca", "PEM file with the CA(s) that signed the proxy's certificate, instead of the system's (wss to a private CA)", helpName: "PEM");
        var command = new Command("connect", "Open a local port that carries one native VNC viewer's session through the proxy, then exit") { url, listen, ca };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(url)!, result.GetValue(listen)!, result.GetValue(ca), context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string accessUrl, string listenText, string? caPath, CommandLineContext context, CancellationToken cancellationToken)
    {
        // Never echo the URL: it carries the token.
        if (!ConsoleWebSocketAddress.TryParse(accessUrl, out var webSocket, out var urlError))
        {
            await context.Error.WriteLineAsync($"connect: the URL is {urlError}");
            return ExitCodes.Usage;
        }

        if (!IPEndPoint.TryParse(listenText, out var listen))
        {
            await context.Error.WriteLineAsync($"connect: --listen '{listenText}' is not ADDRESS:PORT, e.g. 127.0.0.1:5900");
            return ExitCodes.Usage;
        }

        X509Certificate2Collection? roots = null;
        if (caPath is not null)
        {
            try
            {
                roots = [];
                roots.ImportFromPemFile(caPath);
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"connect: --ca {caPath}: {e.Message}");
                return ExitCodes.Usage;
            }
        }

        ConsoleTunnel tunnel;
        try
        {
            tunnel = ConsoleTunnel.Listen(listen, webSocket, roots);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await context.Error.WriteLineAsync($"connect: cannot listen on {listen}: {e.Message}");
            return ExitCodes.Failed;
        }

        using (tunnel)
        {
            var local = tunnel.LocalEndPoint;
            var port = local.Port.ToString(CultureInfo.InvariantCulture);
            await context.Output.WriteLineAsync($"listening on {local} for one VNC viewer; run:");
            await context.Output.WriteLineAsync($"  vncviewer {FormatHost(local.Address)}::{port}");
            await context.Output.FlushAsync(cancellationToken);
            TunnelOutcome outcome;
            try
            {
                outcome = await tunnel.RunOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }

            await (outcome.Succeeded ? context.Output : context.Error).WriteLineAsync($"connect: {outcome.Message}");
            return outcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        }
    }

    private static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
