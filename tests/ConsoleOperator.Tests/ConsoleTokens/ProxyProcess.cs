using TestKit.Repository;
using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Processes;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// The built proxy (`consoleproxy serve`, artifacts/bin/ConsoleProxy/debug) as a child process on a loopback port,
/// reading the same Redis and key prefix the operator writes: proof that what the operator mints really opens a console.
/// </summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private readonly ChildProcess process;

    private ProxyProcess(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output => process.Output;

    /// <summary>The assembly to run; fails loudly when the proxy was not built.</summary>
    public static string Assembly
    {
        get
        {
            var path = Path.Combine(Checkout.Root, "artifacts", "bin", "ConsoleProxy", "debug", "consoleproxy.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"the proxy is not built ({path} is missing): run `dotnet build proxy/ConsoleProxy` first");
        }
    }

    /// <summary>Starts the proxy on <paramref name="port"/> (pick it first: the ConsoleProxy's publicURL names it).</summary>
    public static async Task<ProxyProcess> StartAsync(int port, string redisAddress, string keyPrefix, string allowedTarget)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : RequiredTool.Find("dotnet", "dotnet-sdk-10.0");
        var process = ChildProcess.Start(dotnet,
        [
            Assembly, "serve",
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--redis", redisAddress,
            "--key-prefix", keyPrefix,
            "--allowed-target", allowedTarget,
            "--drain-timeout", "0",
        ]);
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(30), () => process.Output);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new ProxyProcess(process, port);
    }

    /// <summary>
    /// The WebSocket address noVNC opens for an access URL: the page's origin plus the `path` parameter (decoded once,
    /// as noVNC does), e.g. `ws://127.0.0.1:P/websockify?token=...`.
    /// </summary>
    public static Uri WebSocketUri(string accessUrl)
    {
        var url = new Uri(accessUrl);
        var query = url.Query.TrimStart('?').Split('&').Select(part => part.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty);
        var path = Uri.UnescapeDataString(query["path"]);
        return new Uri($"ws://{url.Authority}/{path.TrimStart('/')}");
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
