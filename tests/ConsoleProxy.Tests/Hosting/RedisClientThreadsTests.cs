using System.Net;
using System.Reflection;
using ConsoleProxy.Hosting;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Store;
using StackExchange.Redis;

namespace ConsoleProxy.Tests.Hosting;

public sealed class RedisClientThreadsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_started_proxy_reads_and_writes_Redis_on_threads_of_the_clients_own()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var connection = ((RedisTokenStore)proxy.App.Store).Connection;
        var endPoint = Assert.Single(connection.GetEndPoints());

        Assert.True(RedisClientThreads.Enabled);

        // The flag is a request; the client's own diagnostics say what its connection does (null: no such connection).
        Assert.True(AskConnection(connection, "IsSyncReader", endPoint));
        Assert.True(AskConnection(connection, "IsSyncWriter", endPoint));
    }

    private static bool? AskConnection(IConnectionMultiplexer connection, string question, EndPoint endPoint)
    {
        var diagnostics = typeof(ConnectionMultiplexer).Assembly.GetType("StackExchange.Redis.IInternalConnectionMultiplexer", throwOnError: true)!;
        var method = diagnostics.GetMethod(question, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"StackExchange.Redis no longer has {diagnostics.Name}.{question}: find what tells whether a connection has its own threads");
        return (bool?)method.Invoke(connection, [endPoint, ConnectionType.Interactive]);
    }
}
