using TestKit.Network;
using TestKit.Processes;
using System.Globalization;
using ConsoleProxy.Benchmarks.Targets;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// websockify from the Debian package with its TokenFile plugin (one `token: host:port` line per
/// target), the way noVNC ships it: a process per connection.
/// </summary>
public static class WebsockifySystem
{
    public static async Task<WebSocketRelaySystem> StartAsync(TargetSet targets, string workDirectory)
    {
        var port = FreeTcpPort.Next();
        var tokens = targets.All.ToDictionary(target => target.Mode, _ => AccessToken.Mint());
        var tokenFile = Path.Combine(workDirectory, $"websockify-{port}.tokens");
        await File.WriteAllLinesAsync(tokenFile, targets.All.Select(target => $"{tokens[target.Mode]}: 127.0.0.1:{target.Port}"));
        var process = RelayProcess.Start(
            RequiredTool.Find("websockify", "websockify"),
            ["--token-plugin", "TokenFile", "--token-source", tokenFile, $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"],
            new Dictionary<string, string>(),
            Path.Combine(workDirectory, $"websockify-{port}.log"));
        try
        {
            await process.WaitListeningAsync(port, TimeSpan.FromSeconds(30));
            var urls = tokens.ToDictionary(pair => pair.Key, pair => new Uri($"ws://127.0.0.1:{port}/websockify?token={pair.Value}"));
            return new WebSocketRelaySystem("websockify", process, urls);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
