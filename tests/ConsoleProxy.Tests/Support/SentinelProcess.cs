using System.Globalization;
using System.Net;
using ConsoleOperator.Testing.Processes;

namespace ConsoleProxy.Tests.Support;

/// <summary>One sentinel (quorum 1, down-after 1 s) in its own directory; its config file must be writable.</summary>
public sealed class SentinelProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private SentinelProcess(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<SentinelProcess> StartAsync(string masterName, int primaryPort)
    {
        var redisServer = RequiredTool.Find("redis-server", "redis-server");
        var directory = Directory.CreateTempSubdirectory("redis-sentinel-test-").FullName;
        var port = FreeTcpPort.Next();
        var config = Path.Combine(directory, "sentinel.conf");
        await File.WriteAllTextAsync(config, $"""
            port {port}
            bind 127.0.0.1
            dir {directory}
            sentinel monitor {masterName} 127.0.0.1 {primaryPort} 1
            sentinel down-after-milliseconds {masterName} 1000
            sentinel failover-timeout {masterName} 10000

            """);
        var process = ChildProcess.Start(redisServer, [config, "--sentinel"], directory);
        var sentinel = new SentinelProcess(process, directory, port);
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(10), () => process.Output);
            return sentinel;
        }
        catch
        {
            await sentinel.DisposeAsync();
            throw;
        }
    }

    public Task<CommandResult> CliAsync(params string[] arguments) =>
        Command.RunAsync(RequiredTool.Find("redis-cli", "redis-tools"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. arguments], _directory, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
