using TestKit.Processes;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>Cluster mode is out of scope: a real one-node Redis Cluster owning every slot is refused at start.</summary>
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
    public async Task A_Redis_Cluster_is_refused_at_start_saying_cluster_mode_is_not_supported_and_what_to_use()
    {
        var refused = await Assert.ThrowsAsync<TokenStoreRefusedException>(() => RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(Redis.Address), TimeProvider.System, CancellationToken.None));

        Assert.Equal(TokenStoreRefusal.ClusterModeUnsupported, refused.Refusal);
        Assert.Contains("is a Redis Cluster; cluster mode is not supported", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Redis.Address, refused.Message, StringComparison.Ordinal);
        Assert.Contains("--redis-sentinel", refused.Message, StringComparison.Ordinal);
    }
}
