using System.Net;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Liveness_and_readiness_answer_200_while_redis_answers()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis);

        var (live, liveBody) = await HttpProbe.GetAsync(proxy.Port, "/healthz");
        var (ready, readyBody) = await HttpProbe.GetAsync(proxy.Port, "/readyz");

        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal("ok\n", liveBody);
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal("ok\n", readyBody);
    }

    [Fact]
    public async Task Readiness_turns_503_while_redis_is_away_and_back_to_200_when_it_returns_while_liveness_stays_200()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis);
        Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(proxy.Port, "/readyz")).Status);

        await redis.StopAsync();
        var down = await WaitForReadinessAsync(proxy.Port, HttpStatusCode.ServiceUnavailable);
        var (liveWhileDown, _) = await HttpProbe.GetAsync(proxy.Port, "/healthz");
        await redis.StartAgainAsync();
        var up = await WaitForReadinessAsync(proxy.Port, HttpStatusCode.OK);

        Assert.Equal("token store unreachable\n", down);
        Assert.Equal(HttpStatusCode.OK, liveWhileDown);
        Assert.Equal("ok\n", up);
    }

    [Fact]
    public async Task Readiness_turns_503_the_moment_the_drain_begins()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis);
        Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(proxy.Port, "/readyz")).Status);

        proxy.App.Sessions.BeginDrain();
        var (ready, body) = await HttpProbe.GetAsync(proxy.Port, "/readyz");
        var (live, _) = await HttpProbe.GetAsync(proxy.Port, "/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("draining\n", body);
        Assert.Equal(HttpStatusCode.OK, live);
    }

    [Fact]
    public async Task Concurrent_readiness_probes_share_one_cached_redis_ping_until_it_is_a_second_old()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var redis = await RedisServer.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis, timeProvider: clock);
        Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(proxy.Port, "/readyz")).Status);
        var before = await PingsServedAsync(redis);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => HttpProbe.GetAsync(proxy.Port, "/readyz")));
        var cached = await PingsServedAsync(redis);
        clock.Advance(TimeSpan.FromSeconds(1));
        await HttpProbe.GetAsync(proxy.Port, "/readyz");
        var refreshed = await PingsServedAsync(redis);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status.Status));

        // Without the cache that would be 20; the client's own keep-alive may add a PING.
        Assert.InRange(cached - before, 0, 1);
        Assert.InRange(refreshed - cached, 1, 2);
    }

    /// <summary>How many PING commands Redis has served (INFO commandstats).</summary>
    private static async Task<long> PingsServedAsync(RedisServer redis)
    {
        var stats = await redis.CommandAsync("INFO", "commandstats") ?? string.Empty;
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_ping:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line["cmdstat_ping:calls=".Length..];
        return long.Parse(calls[..calls.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> WaitForReadinessAsync(int port, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (status, body) = await HttpProbe.GetAsync(port, "/readyz");
            if (status == expected)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/readyz stayed {status} ({body.Trim()}), expected {expected}");
            await Task.Delay(200);
        }
    }
}
