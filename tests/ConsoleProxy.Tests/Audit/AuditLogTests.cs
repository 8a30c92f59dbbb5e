using System.Net.WebSockets;
using ConsoleProxy.Audit;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tests.Audit;

public sealed class AuditLogTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task One_audit_line_at_start_and_one_at_end_say_who_which_vm_from_where_how_much_how_long_and_why()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        var hash = TokenHash.Of(token);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1, 2, 3, 4, 5]);
        await ProxyClient.ReceiveExactlyAsync(client, 5);
        using (var timeout = new CancellationTokenSource(ProxyClient.Timeout))
        {
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0, "the session to end");
        var audit = proxy.Logs.Lines.Where(line => line.Contains($" {SessionAuditLog.Category}: ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, audit.Count);
        var started = audit[0];
        var ended = audit[1];
        Assert.Contains("started", started, StringComparison.Ordinal);
        Assert.Contains($"token {hash.ShortForm}", started, StringComparison.Ordinal);
        Assert.Contains("owner 'tests/console'", started, StringComparison.Ordinal);
        Assert.Contains("instance 'vm-1'", started, StringComparison.Ordinal);
        Assert.Contains($"target {target.Target}", started, StringComparison.Ordinal);
        Assert.Contains("client 127.0.0.1", started, StringComparison.Ordinal);
        Assert.EndsWith("view-only False, kind vnc", started, StringComparison.Ordinal);
        Assert.Contains("ended with 1000 (client closed)", ended, StringComparison.Ordinal);
        Assert.Contains($"token {hash.ShortForm}", ended, StringComparison.Ordinal);
        Assert.Contains("owner 'tests/console'", ended, StringComparison.Ordinal);
        Assert.Contains("instance 'vm-1'", ended, StringComparison.Ordinal);
        Assert.Contains("5 bytes to client, 5 bytes to target", ended, StringComparison.Ordinal);
        Assert.Matches(@", \d+(\.\d+)? s, outcome normal, kind vnc$", ended);
    }

    [Fact]
    public async Task No_log_line_ever_holds_a_raw_token_or_a_query_string_whatever_happens_to_the_session()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { MaxSessions = 2 });
        var good = await proxy.MintAsync(target.Target);
        var revoked = await proxy.MintAsync(target.Target);
        var garbage = "garbage-" + Guid.NewGuid().ToString("N");
        var unreachable = await proxy.MintAsync(new ConsoleProxy.Tokens.Targets.ConsoleTarget("127.0.0.1", Network.ClosedPort()));

        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={good}&extra=secret-query-value")))
        {
            await ProxyClient.SendAsync(client, [7]);
            await ProxyClient.ReceiveExactlyAsync(client, 1);
            using var other = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={revoked}"));
            await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={good}"));
            await proxy.App.Store.RevokeAsync(TokenHash.Of(revoked), CancellationToken.None);
            await ProxyClient.ReceiveCloseAsync(other);
        }

        await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={garbage}"));
        await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={good}"), options => options.SetRequestHeader("Origin", "https://evil.example"));
        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={unreachable}")))
        {
            await ProxyClient.ReceiveCloseAsync(client);
        }

        await HttpProbe.GetAsync(proxy.Port, $"/vnc_lite.html?path=websockify%3Ftoken%3D{good}");
        await Poll.UntilAsync(() => proxy.App.Sessions.Reserved == 0, "every session to end");
        var logs = proxy.Logs.All;

        Assert.Contains("ended with", logs, StringComparison.Ordinal);
        Assert.Contains("token revoked", logs, StringComparison.Ordinal);
        Assert.Contains("refused", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { good, revoked, garbage, unreachable, "secret-query-value", "token=" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
