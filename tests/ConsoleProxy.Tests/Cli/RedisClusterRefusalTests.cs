using TestKit.Processes;

namespace ConsoleProxy.Tests.Cli;

/// <summary>`consoleproxy serve` pointed at a real one-node Redis Cluster stops at start-up: cluster mode is out of scope.</summary>
public sealed class RedisClusterRefusalTests : IAsyncLifetime
{
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server is not started");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartClusterNodeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Serve_against_a_Redis_Cluster_exits_1_with_one_line_saying_cluster_mode_is_not_supported()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--host", "127.0.0.1", "--port", "0", "--redis", Redis.Address]);

        Assert.Equal(1, exitCode);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot start", error, StringComparison.Ordinal);
        Assert.Contains("cluster mode is not supported", error, StringComparison.Ordinal);
    }
}
