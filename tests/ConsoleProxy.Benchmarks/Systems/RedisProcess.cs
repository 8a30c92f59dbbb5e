using System.Globalization;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>A redis-server for consoleproxy's tokens, on a free loopback port, without persistence.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly RelayProcess _process;

    private RedisProcess(RelayProcess process, int port)
    {
        _process = process;
        Address = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public string Address { get; }

    public static async Task<RedisProcess> StartAsync(string workDirectory)
    {
        var port = LoopbackPorts.Free();
        var process = RelayProcess.Start(
            Tools.Find("redis-server", "redis-server"),
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", workDirectory, "--save", "", "--appendonly", "no"],
            new Dictionary<string, string>(),
            Path.Combine(workDirectory, $"redis-{port}.log"));
        try
        {
            await process.WaitListeningAsync(port, TimeSpan.FromSeconds(20));
            return new RedisProcess(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
