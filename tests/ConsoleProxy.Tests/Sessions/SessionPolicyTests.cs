using ConsoleProxy.Configuration;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Sessions;

/// <summary>Who is connected (published sessions) and the second-viewer policy, with real proxies on one real Redis.</summary>
public sealed class SessionPolicyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // The proxies of one test share a prefix (one fleet); tests do not see each other's sessions.
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    [Fact]
    public async Task Two_sessions_on_one_token_are_published_then_one_then_none()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await StartAsync("proxy-a");
        var token = await MintAsync(proxy, target.Target);
        var hash = TokenHash.Of(token);
        var directory = Directory(proxy);

        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        using var second = await ProxyClient.ConnectFromAsync(System.Net.IPAddress.Parse("127.0.0.2"), proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 2, "both sessions to be published");
        var published = await directory.ListByTokenAsync(hash, CancellationToken.None);
        Assert.All(published, session => Assert.Equal("proxy-a", session.ProxyInstance));
        Assert.Equal(["127.0.0.1", "127.0.0.2"], published.Select(session => session.Client).Order());
        Assert.All(published, session => Assert.Equal("tests/console", session.Owner));

        await first.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Poll.UntilAsync(async () => (await directory.ListByTokenAsync(hash, CancellationToken.None)).Count == 1, "one session after the first closed");
        Assert.Equal("127.0.0.2", (await directory.ListAllAsync(CancellationToken.None)).Single().Client);

        await second.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await Poll.UntilAsync(async () => (await directory.ListAllAsync(CancellationToken.None)).Count == 0, "no session after both closed");
        await Poll.UntilAsync(async () => (await MetricsScrape.TakeAsync(proxy.Port))["consoleproxy_sessions_published"] == 0, "the published gauge to drop to 0");
    }

    [Fact]
    public async Task Reject_refuses_a_second_session_on_another_proxy_with_409_naming_the_limit_and_keeps_the_first()
    {
        await using var target = TcpEchoTarget.Start();
        await using var a = await StartAsync("proxy-a");
        await using var b = await StartAsync("proxy-b");
        var token = await MintAsync(a, target.Target, maxSessions: 1);
        using var first = await ProxyClient.ConnectAsync(a.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(async () => (await Directory(a).ListAllAsync(CancellationToken.None)).Count == 1, "the first session to be published");

        var (status, _) = await ProxyClient.RefusalAsync(b.Url($"/websockify?token={token}"));

        Assert.Equal(409, status);
        Assert.Contains("session limit reached: the token admits 1 concurrent session (max_sessions); on-session-limit reject", b.Logs.All, StringComparison.Ordinal);
        Assert.Equal(1, (await MetricsScrape.TakeAsync(b.Port))["consoleproxy_authorization_failures_total{reason=\"session_limit\"}"]);
        await ProxyClient.SendAsync(first, [7]);
        Assert.Equal(new byte[] { 7 }, await ProxyClient.ReceiveExactlyAsync(first, 1));
    }

    [Fact]
    public async Task Takeover_closes_the_oldest_session_on_the_same_proxy_with_4006_and_the_new_one_works()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await StartAsync("proxy-a", "takeover");
        var token = await MintAsync(proxy, target.Target, maxSessions: 1);
        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the first session to start");

        using var second = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(first);

        Assert.Equal(4006, code);
        Assert.Equal("taken over by a newer session (the token admits 1 concurrent session (max_sessions), on-session-limit takeover)", reason);
        await ProxyClient.SendAsync(second, [9]);
        Assert.Equal(new byte[] { 9 }, await ProxyClient.ReceiveExactlyAsync(second, 1));
        Assert.Equal(1, (await MetricsScrape.TakeAsync(proxy.Port))["consoleproxy_session_takeovers_total"]);
        await Poll.UntilAsync(async () => (await MetricsScrape.TakeAsync(proxy.Port))["consoleproxy_sessions_total{outcome=\"taken_over\"}"] == 1, "the taken-over session to be counted");
    }

    [Fact]
    public async Task Takeover_reaches_the_oldest_session_on_another_proxy()
    {
        await using var target = TcpEchoTarget.Start();
        await using var a = await StartAsync("proxy-a", "takeover");
        await using var b = await StartAsync("proxy-b", "takeover");
        var token = await MintAsync(a, target.Target, maxSessions: 1);
        using var first = await ProxyClient.ConnectAsync(a.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(async () => (await Directory(a).ListAllAsync(CancellationToken.None)).Count == 1, "the first session to be published");

        using var second = await ProxyClient.ConnectAsync(b.Url($"/websockify?token={token}"));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(first);

        Assert.Equal(4006, code);
        Assert.Contains("max_sessions", reason, StringComparison.Ordinal);
        await ProxyClient.SendAsync(second, [3]);
        Assert.Equal(new byte[] { 3 }, await ProxyClient.ReceiveExactlyAsync(second, 1));
        await Poll.UntilAsync(async () => (await Directory(a).ListAllAsync(CancellationToken.None)) is [{ ProxyInstance: "proxy-b" }], "only proxy-b's session to be listed");
    }

    [Fact]
    public async Task The_per_target_limit_counts_sessions_of_different_tokens_on_one_console()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await StartAsync("proxy-a", configure: options => options with { MaxSessionsPerTarget = 2 });
        var tokens = new[] { await MintAsync(proxy, target.Target), await MintAsync(proxy, target.Target), await MintAsync(proxy, target.Target) };
        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={tokens[0]}"));
        using var second = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={tokens[1]}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 2, "two sessions to start");

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={tokens[2]}"));

        Assert.Equal(409, status);
        Assert.Contains($"the console {target.Target} admits 2 concurrent sessions (--max-sessions-per-target)", proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_max_sessions_a_reusable_token_admits_many_sessions_as_before()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await StartAsync("proxy-a");
        var token = await MintAsync(proxy, target.Target);
        var clients = new List<System.Net.WebSockets.ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}")));
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 3, "three sessions to start");
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private static SessionDirectory Directory(TestProxy proxy) => proxy.App.SessionDirectory;

    private Task<TestProxy> StartAsync(string instance, string onLimit = "reject", Func<ProxyOptions, ProxyOptions>? configure = null) =>
        TestProxy.StartAsync(redis.Server, options => (configure?.Invoke(options) ?? options) with { InstanceName = instance, OnSessionLimit = onLimit, KeyPrefix = _prefix });

    private static async Task<string> MintAsync(TestProxy proxy, ConsoleTarget target, int? maxSessions = null)
    {
        var token = AccessToken.Mint();
        var record = new TokenRecord(target, DateTimeOffset.UtcNow.AddMinutes(10), TokenFlags.None, "tests/console", "vm-1") { MaxSessions = maxSessions };
        await proxy.App.Store.StoreAsync(TokenHash.Of(token), record, CancellationToken.None);
        return token;
    }
}
