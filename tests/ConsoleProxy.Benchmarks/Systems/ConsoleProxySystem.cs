using TestKit.Network;
using TestKit.Processes;
using System.Globalization;
using ConsoleProxy.Benchmarks.Targets;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// The real `consoleproxy` executable (Release build) against a real redis-server, with one
/// reusable token per target minted the way the operator does; every session still looks its
/// token up in Redis.
/// </summary>
public static class ConsoleProxySystem
{
    /// <summary>The name of the variant whose targets speak TLS (`--target-tls`).</summary>
    public const string TargetTlsName = "consoleproxy TLS to target";

    /// <summary>The name of the variant that serves wss itself (`--cert`, `--key`).</summary>
    public const string WssName = "consoleproxy wss";

    /// <param name="targetCaFile">With a CA: `--target-tls --target-ca` (the targets must be behind TLS).</param>
    /// <param name="serving">With a certificate: `--cert --key`, the port speaks wss only.</param>
    /// <param name="name">The name in the report, for a build other than today's (the baseline).</param>
    public static async Task<WebSocketRelaySystem> StartAsync(string executable, RedisServer redis, TargetSet targets, string workDirectory, string? targetCaFile = null, ProxyCertificate? serving = null, string? name = null)
    {
        var port = FreeTcpPort.Next();
        var process = RelayProcess.Start(
            executable,
            ["serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--redis", redis.Address, "--allowed-target", "127.0.0.0/8", "--drain-timeout", "0",
                .. targetCaFile is null ? Array.Empty<string>() : ["--target-tls", "--target-ca", targetCaFile],
                .. serving is null ? Array.Empty<string>() : ["--cert", serving.CertificateFile, "--key", serving.KeyFile]],
            new Dictionary<string, string>(),
            Path.Combine(workDirectory, $"consoleproxy-{port}.log"));
        try
        {
            await process.WaitListeningAsync(port, TimeSpan.FromSeconds(30));
            await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(redis.Address), TimeProvider.System, CancellationToken.None);
            var urls = new Dictionary<TargetMode, Uri>();
            foreach (var target in targets.All)
            {
                var token = AccessToken.Mint();
                var record = new TokenRecord(new ConsoleTarget("127.0.0.1", target.Port), DateTimeOffset.UtcNow.AddHours(2), TokenFlags.None, "bench/console", target.Mode.ToString());
                await store.StoreAsync(TokenHash.Of(token), record, CancellationToken.None);
                urls[target.Mode] = new Uri($"{(serving is null ? "ws" : "wss")}://127.0.0.1:{port}/websockify?token={token}");
            }

            return new WebSocketRelaySystem(name ?? (serving is not null ? WssName : targetCaFile is null ? "consoleproxy" : TargetTlsName), process, urls, serving);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
