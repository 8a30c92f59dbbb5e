using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Sessions;

public sealed class DrainTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Stopping_refuses_new_sessions_keeps_live_ones_for_the_drain_period_then_closes_them_with_1001()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { DrainTimeout = TimeSpan.FromSeconds(2) });
        var token = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stopping = proxy.App.StopAsync(stopTimeout.Token);
        await Poll.UntilAsync(() => proxy.App.Sessions.IsDraining, "the drain to begin");

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1, 2]);
        Assert.Equal(new byte[] { 1, 2 }, await ProxyClient.ReceiveExactlyAsync(client, 2));
        var (code, _) = await ProxyClient.ReceiveCloseAsync(client);
        await stopping;

        Assert.Equal(503, status);
        Assert.Equal(1001, code);
    }
}
