using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Sessions;

/// <summary>The proxy's start-up log tells the truth about the revocation subscription when Redis is down.</summary>
public sealed class RevocationListenerLogTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task With_Redis_down_the_proxy_says_the_subscription_waits_instead_of_claiming_it_is_made()
    {
        await using var stopped = await TestKit.Processes.RedisServer.StartAsync();
        await stopped.StopAsync();

        await using var down = await TestProxy.StartAsync(stopped);
        await using var up = await TestProxy.StartAsync(redis.Server);

        Assert.DoesNotContain("Subscribed to token revocations", down.Logs.All, StringComparison.Ordinal);
        Assert.Contains("the subscription to token revocations is registered and takes effect once it is back", down.Logs.All, StringComparison.Ordinal);
        Assert.Contains("Subscribed to token revocations", up.Logs.All, StringComparison.Ordinal);
    }
}
