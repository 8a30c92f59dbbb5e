using System.Globalization;
using System.Net;
using TestKit.Network;

namespace TestKit.Processes;

/// <summary>
/// One real Redis Sentinel (`redis-server FILE --sentinel`) on a free loopback port, watching one primary. Sentinel
/// rewrites its configuration file as it learns the deployment, so each one gets its own temporary directory.
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    private readonly string _directory;
    private ChildProcess? _process;

    private RedisSentinel(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>HOST:PORT, as `--redis-sentinel` takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>What the sentinel printed so far, for failure messages.</summary>
    public string Output => _process?.Output ?? string.Empty;

    /// <param name="masterName">The name the primary is monitored under (`--redis-master-name`).</param>
    /// <param name="primaryPort">The primary's port on 127.0.0.1.</param>
    /// <param name="password">The data nodes' password (sentinel auth-pass); the sentinel itself asks for none.</param>
    /// <param name="quorum">How many sentinels must agree the primary is down.</param>
    /// <param name="downAfter">How long the primary may be silent before this sentinel thinks it down.</param>
    /// <param name="failoverTimeout">Sentinel's failover-timeout: also the least time between two failovers of the same primary.</param>
    public static async Task<RedisSentinel> StartAsync(
        string masterName,
        int primaryPort,
        string? password,
        int quorum,
        TimeSpan downAfter,
        TimeSpan failoverTimeout)
    {
        var directory = Directory.CreateTempSubdirectory("redis-sentinel-test-").FullName;
        var sentinel = new RedisSentinel(FreeTcpPort.Next(), directory);
        var lines = new List<string>
        {
            $"port {sentinel.Port}",
            "bind 127.0.0.1",
            $"dir {directory}",
            $"sentinel monitor {masterName} 127.0.0.1 {primaryPort} {quorum}",
            $"sentinel down-after-milliseconds {masterName} {(int)downAfter.TotalMilliseconds}",
            $"sentinel failover-timeout {masterName} {(int)failoverTimeout.TotalMilliseconds}",
            $"sentinel parallel-syncs {masterName} 1",
        };
        if (password is not null)
        {
            lines.Add($"sentinel auth-pass {masterName} {Quoted(password)}");
        }

        var configuration = Path.Combine(directory, "sentinel.conf");
        await File.WriteAllLinesAsync(configuration, lines);
        var path = RequiredTool.Find("redis-server", "redis-server");
        sentinel._process = ChildProcess.Start(path, [configuration, "--sentinel"], directory);
        await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, sentinel.Port, TimeSpan.FromSeconds(10), () => sentinel.Output);
        return sentinel;
    }

    public Task<string?> CommandAsync(params string[] arguments) => RespCommand.SendAsync(Port, password: null, arguments);

    /// <summary>The port of the primary this sentinel currently names for <paramref name="masterName"/>.</summary>
    public async Task<int> PrimaryPortAsync(string masterName)
    {
        var reply = await CommandAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName)
            ?? throw new InvalidOperationException($"sentinel {Address} knows no primary named '{masterName}'");
        return int.Parse(reply.Split('\n')[1], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of /tmp.
        }
    }

    // Redis's configuration syntax: a value with spaces or quotes goes in double quotes, backslash-escaped.
    private static string Quoted(string value) => $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
