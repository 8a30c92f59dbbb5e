using System.Globalization;
using System.Net;
using System.Text.Json;
using TestKit.Network;

namespace TestKit.Processes;

/// <summary>
/// The built `consoleproxy serve` running as a child process on a free loopback port, as an
/// operator-less deployment would run it, plus its `token create` verb for minting access links.
/// </summary>
public sealed class ConsoleProxyProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly ChildProcess _process;

    private ConsoleProxyProcess(ChildProcess process, ProxyBuildOutput build, int port, string redisAddress)
    {
        _process = process;
        Build = build;
        Port = port;
        RedisAddress = redisAddress;
    }

    public ProxyBuildOutput Build { get; }

    public int Port { get; }

    /// <summary>The process id (what /proc/ID describes).</summary>
    public int Id => _process.Id;

    public string RedisAddress { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>What the proxy printed so far, for assertion messages.</summary>
    public string Output => _process.Output;

    /// <summary>
    /// Starts `consoleproxy serve` on 127.0.0.1 with the given Redis and any further options
    /// (for example `--allowed-target 127.0.0.1/32:5901`), and waits until it accepts connections.
    /// </summary>
    public static Task<ConsoleProxyProcess> StartAsync(string redisAddress, params string[] options) =>
        StartAsync(FreeTcpPort.Next(), redisAddress, options);

    /// <summary>The same on a port picked beforehand (when an address that names it must exist first, e.g. a ConsoleProxy's publicURL).</summary>
    public static Task<ConsoleProxyProcess> StartAsync(int port, string redisAddress, params string[] options) =>
        StartAsync(port, redisAddress, environment: null, options);

    /// <summary>
    /// The same with environment variables set for the process (a null value removes one), as a pod gets its secrets
    /// (e.g. CONSOLEPROXY_REDIS_PASSWORD): in the environment, never on the command line.
    /// </summary>
    public static async Task<ConsoleProxyProcess> StartAsync(int port, string redisAddress, IReadOnlyDictionary<string, string?>? environment, params string[] options)
    {
        var build = ProxyBuildOutput.Find();
        var process = ChildProcess.Start(build.Dotnet,
        [
            build.Assembly, "serve",
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--redis", redisAddress,
            .. options,
        ], environment: environment);
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, StartTimeout, () => process.Output);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new ConsoleProxyProcess(process, build, port, redisAddress);
    }

    /// <summary>Mints a token for the target with `consoleproxy token create --output json`.</summary>
    public async Task<MintedToken> MintTokenAsync(string target, TimeSpan timeToLive, params string[] options)
    {
        var result = await Command.RunAsync(Build.Dotnet,
        [
            Build.Assembly, "token", "create",
            "--redis", RedisAddress,
            "--target", target,
            "--ttl", ((int)timeToLive.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "--base-url", BaseUrl,
            "--output", "json",
            .. options,
        ], CommandTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"consoleproxy token create failed: {result}");
        }

        return JsonSerializer.Deserialize<MintedToken>(result.Output, JsonOptions)
            ?? throw new InvalidOperationException($"consoleproxy token create printed no JSON: {result}");
    }

    /// <summary>
    /// Revokes a token with `consoleproxy token revoke`: its live sessions close with 4001. A spent single-use token is
    /// no longer stored, so the command exits 1 but publishes the revocation all the same (<paramref name="spent"/>).
    /// </summary>
    public async Task RevokeTokenAsync(string token, bool spent = false)
    {
        var result = await Command.RunAsync(Build.Dotnet,
            [Build.Assembly, "token", "revoke", "--redis", RedisAddress, token], CommandTimeout);
        var expected = spent ? 1 : 0;
        if (result.ExitCode != expected || (spent && !result.ToString().Contains("the revocation was published anyway", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"consoleproxy token revoke failed: {result}");
        }
    }

    /// <summary>Kills the process outright (SIGKILL): no drain, no cleanup, as when a node dies.</summary>
    public Task KillAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
