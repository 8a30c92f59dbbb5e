using System.Net;
using System.Net.WebSockets;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Metrics;

public sealed class MetricsEndpointTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Active = "consoleproxy_sessions_active";
    private const string ClientToServer = "consoleproxy_bytes_total{direction=\"client_to_server\"}";
    private const string ServerToClient = "consoleproxy_bytes_total{direction=\"server_to_client\"}";
    private const string Handshakes = "consoleproxy_handshake_duration_seconds_count";
    private const string Dials = "consoleproxy_dial_duration_seconds_count";

    private static string Outcome(string outcome) => $"consoleproxy_sessions_total{{outcome=\"{outcome}\"}}";

    private static string Failure(string reason) => $"consoleproxy_authorization_failures_total{{reason=\"{reason}\"}}";

    [Fact]
    public async Task Metrics_are_Prometheus_text_and_move_as_a_session_runs_and_ends()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var data = new byte[3000];
        Random.Shared.NextBytes(data);
        await ProxyClient.SendAsync(client, data);
        await ProxyClient.ReceiveExactlyAsync(client, data.Length);
        var during = await MetricsScrape.TakeAsync(proxy.Port);
        using (var timeout = new CancellationTokenSource(ProxyClient.Timeout))
        {
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0, "the session to end");
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.StartsWith("text/plain; version=0.0.4", before.ContentType, StringComparison.Ordinal);
        Assert.Equal(0, before[Active]);
        Assert.Equal(1, during[Active]);
        Assert.Equal(before[ClientToServer] + data.Length, during[ClientToServer]);
        Assert.Equal(before[ServerToClient] + data.Length, during[ServerToClient]);
        Assert.Equal(before[Handshakes] + 1, during[Handshakes]);
        Assert.Equal(before[Dials] + 1, during[Dials]);
        Assert.True(during["consoleproxy_handshake_duration_seconds_sum"] > before["consoleproxy_handshake_duration_seconds_sum"]);
        Assert.Equal(during[Handshakes], during["consoleproxy_handshake_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(0, after[Active]);
        Assert.Equal(before[Outcome("normal")] + 1, after[Outcome("normal")]);
    }

    [Fact]
    public async Task Refused_upgrades_are_counted_by_reason_and_never_as_sessions()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { MaxSessions = 1, AllowedTargets = ["127.0.0.0/8"] });
        var token = await proxy.MintAsync(target.Target);
        var forbidden = await proxy.MintAsync(new ConsoleTarget("10.1.2.3", 5900));
        var singleUse = await proxy.MintAsync(target.Target, flags: TokenFlags.SingleUse);
        var revoked = await proxy.MintAsync(target.Target);
        using (var used = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={singleUse}")))
        {
            using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
            await used.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Reserved == 0, "the single-use session's slot to be released");
        Assert.True(await proxy.App.Store.RevokeAsync(TokenHash.Of(revoked), CancellationToken.None));
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        await ProxyClient.RefusalAsync(proxy.Url("/websockify?token=not-a-token"));
        await ProxyClient.RefusalAsync(proxy.Url("/websockify"));
        await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"), options => options.SetRequestHeader("Origin", "https://evil.example"));
        await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={forbidden}"));
        var (consumedStatus, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={singleUse}"));
        var (revokedStatus, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={revoked}"));
        using var holder = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(503, status);
        Assert.Equal(403, consumedStatus);
        Assert.Equal(403, revokedStatus);
        Assert.Equal(before[Failure("unknown_token")] + 1, after[Failure("unknown_token")]);
        Assert.Equal(before[Failure("consumed")] + 1, after[Failure("consumed")]);
        Assert.Equal(before[Failure("revoked")] + 1, after[Failure("revoked")]);
        Assert.Equal(before[Failure("token_missing")] + 1, after[Failure("token_missing")]);
        Assert.Equal(before[Failure("origin")] + 1, after[Failure("origin")]);
        Assert.Equal(before[Failure("target_not_allowed")] + 1, after[Failure("target_not_allowed")]);
        Assert.Equal(before[Failure("capacity")] + 1, after[Failure("capacity")]);
        Assert.Equal(before[Handshakes] + 1, after[Handshakes]);
        Assert.Equal(1, after[Active]);
    }

    [Fact]
    public async Task Sessions_are_counted_under_the_outcome_that_ended_them()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { IdleTimeout = TimeSpan.FromMinutes(5) }, clock);
        var idle = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(1));
        var revoked = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(1));
        var unreachable = await proxy.MintAsync(new ConsoleTarget("127.0.0.1", Network.ClosedPort()), ttl: TimeSpan.FromHours(1));
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={unreachable}")))
        {
            Assert.Equal(4005, (await ProxyClient.ReceiveCloseAsync(client)).Code);
        }

        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={revoked}")))
        {
            await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");
            await proxy.App.Store.RevokeAsync(TokenHash.Of(revoked), CancellationToken.None);
            Assert.Equal(4001, (await ProxyClient.ReceiveCloseAsync(client)).Code);
        }

        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={idle}")))
        {
            await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");
            clock.Advance(TimeSpan.FromMinutes(6));
            Assert.Equal(4003, (await ProxyClient.ReceiveCloseAsync(client)).Code);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0, "the sessions to end");
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(before[Outcome("target_unreachable")] + 1, after[Outcome("target_unreachable")]);
        Assert.Equal(before[Outcome("revoked")] + 1, after[Outcome("revoked")]);
        Assert.Equal(before[Outcome("idle")] + 1, after[Outcome("idle")]);
        Assert.Equal(before[Outcome("normal")], after[Outcome("normal")]);
    }

    [Fact]
    public async Task Probes_and_scrapes_need_no_token_and_never_count_as_sessions_even_as_upgrades()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        foreach (var path in new[] { "/healthz", "/readyz", "/metrics" })
        {
            var (status, _) = await HttpProbe.GetAsync(proxy.Port, path + "?token=whatever");
            Assert.Equal(HttpStatusCode.OK, status);
            var (upgradeStatus, _) = await ProxyClient.RefusalAsync(proxy.Url(path));
            Assert.Equal(200, upgradeStatus);
        }

        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(before[Handshakes], after[Handshakes]);
        foreach (var reason in new[] { "token_missing", "unknown_token", "consumed", "revoked", "origin" })
        {
            Assert.Equal(before[Failure(reason)], after[Failure(reason)]);
        }

        Assert.Equal(0, after[Active]);
    }
}
