using System.Net;
using System.Net.WebSockets;
using System.Text;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Relay;

public sealed class RelayTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Theory]
    [InlineData("/websockify?token={0}")]
    [InlineData("/?token={0}")]
    [InlineData("//websockify?token={0}")]
    [InlineData("/any/other/path?token={0}")]
    public async Task Bytes_are_relayed_both_ways_on_every_noVNC_url_shape(string shape)
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, token)));
        var payload = Encoding.ASCII.GetBytes("RFB 003.008\n");
        await ProxyClient.SendAsync(client, payload);

        Assert.Equal(payload, await ProxyClient.ReceiveExactlyAsync(client, payload.Length));
    }

    [Fact]
    public async Task The_token_is_taken_from_the_cookie_when_the_query_has_none()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url("/websockify"), options => options.SetRequestHeader("Cookie", $"token={token}"));
        await ProxyClient.SendAsync(client, [1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, await ProxyClient.ReceiveExactlyAsync(client, 3));
    }

    [Fact]
    public async Task The_binary_subprotocol_is_echoed_when_offered()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), options => options.AddSubProtocol("binary"));

        Assert.Equal("binary", client.SubProtocol);
    }

    [Fact]
    public async Task No_subprotocol_is_chosen_when_none_is_offered()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));

        Assert.True(string.IsNullOrEmpty(client.SubProtocol));
    }

    [Fact]
    public async Task An_IPv6_target_on_the_loopback_is_relayed()
    {
        await using var target = TcpEchoTarget.Start(IPAddress.IPv6Loopback);
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { AllowedTargets = ["::1/128:1-65535"] });
        Assert.Equal($"[::1]:{target.Target.Port}", target.Target.ToString());
        var token = await proxy.MintAsync(target.Target);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [6, 6, 6]);

        Assert.Equal(new byte[] { 6, 6, 6 }, await ProxyClient.ReceiveExactlyAsync(client, 3));
    }

    [Fact]
    public async Task Several_megabytes_arrive_intact_and_in_order_in_both_directions()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var payload = new byte[4 * 1024 * 1024];
        new Random(42).NextBytes(payload);

        var receiving = ProxyClient.ReceiveExactlyAsync(client, payload.Length);
        for (var offset = 0; offset < payload.Length; offset += 100_000)
        {
            await ProxyClient.SendAsync(client, payload[offset..Math.Min(payload.Length, offset + 100_000)]);
        }

        Assert.Equal(payload, await receiving);
        await Poll.UntilAsync(() => proxy.App.Sessions.Snapshot().Single().BytesToClient == payload.Length, "byte counters");
        Assert.Equal(payload.Length, proxy.App.Sessions.Snapshot().Single().BytesToTarget);
    }

    [Fact]
    public async Task When_the_VNC_server_hangs_up_the_browser_gets_a_normal_close()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1]);
        await ProxyClient.ReceiveExactlyAsync(client, 1);

        target.HangUpAll();

        var (code, _) = await ProxyClient.ReceiveCloseAsync(client);
        Assert.Equal(1000, code);
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && proxy.App.Sessions.Reserved == 0, "the session to be released");
    }

    [Fact]
    public async Task When_the_browser_closes_the_VNC_connection_is_shut_down_and_the_close_answered()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1]);
        await ProxyClient.ReceiveExactlyAsync(client, 1);

        using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await Poll.UntilAsync(() => target.Ended == 1, "the VNC server to see the connection end");
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && proxy.App.Sessions.Reserved == 0, "the session to be released");
    }

    [Fact]
    public async Task A_close_without_status_is_answered_with_1000_not_1005()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        await using var client = await RawWebSocketClient.ConnectAsync(proxy.Port, $"/websockify?token={token}");

        // What Chromium sends for ws.close() without a code: a close frame with no payload.
        await client.SendCloseAsync(status: null);
        var payload = await client.ReceiveCloseAsync();

        Assert.Equal(new byte[] { 0x03, 0xE8 }, payload[..2]);
    }

    [Fact]
    public async Task A_client_that_vanishes_without_a_close_frees_its_session_and_VNC_connection()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        client.Abort();
        client.Dispose();

        await Poll.UntilAsync(() => target.Ended == 1, "the VNC connection to be closed");
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && proxy.App.Sessions.Reserved == 0, "the session to be released");
    }

    [Fact]
    public async Task Logs_never_contain_the_raw_token_or_the_query_string()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        using (var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}")))
        {
            await ProxyClient.SendAsync(client, [1]);
            await ProxyClient.ReceiveExactlyAsync(client, 1);
            using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}x"));
        await Poll.UntilAsync(() => proxy.Logs.All.Contains("ended with 1000", StringComparison.Ordinal), "the session end line");

        Assert.DoesNotContain(token, proxy.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Contains(ConsoleProxy.Tokens.Minting.TokenHash.Of(token).ShortForm, proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxy_pings_and_drops_a_client_that_stops_answering()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { PingInterval = TimeSpan.FromSeconds(1) });
        var token = await proxy.MintAsync(target.Target);
        await using var client = await RawWebSocketClient.ConnectAsync(proxy.Port, $"/websockify?token={token}");
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        // The raw client reads the ping but never answers it.
        var opcode = await client.ReceiveOpcodeAsync();

        Assert.Equal(0x9, opcode);
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && target.Ended == 1, "the unresponsive client to be dropped");
    }
}
