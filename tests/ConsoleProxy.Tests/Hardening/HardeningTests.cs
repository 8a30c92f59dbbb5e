using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Hardening;

/// <summary>
/// Bad input never crashes the process or leaks a session: each attack runs next to a good session
/// that must keep working, and the session gauge must return to that one session afterwards.
/// </summary>
public sealed class HardeningTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int GarbageTokens = 2000;

    [Fact]
    public async Task Thousands_of_garbage_tokens_are_refused_with_403_counted_and_never_logged()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server);
        var before = await MetricsScrape.TakeAsync(proxy.Port);
        var tokens = Enumerable.Range(0, GarbageTokens).Select(GarbageToken).ToArray();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var statuses = new int[tokens.Length];
        var next = -1;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < tokens.Length)
            {
                using var client = new ClientWebSocket();
                client.Options.CollectHttpResponseDetails = true;
                using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
                await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(proxy.Proxy.Url($"/websockify?token={Uri.EscapeDataString(tokens[index])}"), invoker, timeout.Token));
                statuses[index] = (int)client.HttpStatusCode;
            }
        })));
        await proxy.AssertGoodSessionWorksAsync();
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.All(statuses, status => Assert.Equal(403, status));
        var refused = after["consoleproxy_authorization_failures_total{reason=\"unknown_token\"}"] - before["consoleproxy_authorization_failures_total{reason=\"unknown_token\"}"]
            + after["consoleproxy_authorization_failures_total{reason=\"token_missing\"}"] - before["consoleproxy_authorization_failures_total{reason=\"token_missing\"}"];
        Assert.Equal(GarbageTokens, refused);
        var logs = proxy.Proxy.Logs.All;
        Assert.All(tokens.Where(token => token.Trim().Length >= 8), token => Assert.DoesNotContain(token.Trim(), logs, StringComparison.Ordinal));
        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        await proxy.CloseGoodSessionAsync();
    }

    [Fact]
    public async Task Oversized_headers_and_request_lines_get_431_and_414_and_non_WebSocket_requests_on_the_upgrade_path_get_plain_HTTP_answers()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server);
        var host = $"Host: 127.0.0.1:{proxy.Port}\r\n";
        const string upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

        var hugeHeader = await RawHttp.StatusLineAsync(proxy.Port, $"GET /websockify?token=x HTTP/1.1\r\n{host}{upgrade}X-Huge: {new string('a', 64 * 1024)}\r\n\r\n");
        var manyHeaders = await RawHttp.StatusLineAsync(proxy.Port, $"GET /websockify?token=x HTTP/1.1\r\n{host}{upgrade}{string.Concat(Enumerable.Range(0, 2000).Select(i => $"X-H{i}: {new string('b', 20)}\r\n"))}\r\n");
        var hugeLine = await RawHttp.StatusLineAsync(proxy.Port, $"GET /websockify?token={new string('t', 16 * 1024)} HTTP/1.1\r\n{host}{upgrade}\r\n");
        var plainGet = await RawHttp.StatusLineAsync(proxy.Port, $"GET /websockify?token=x HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        var post = await RawHttp.StatusLineAsync(proxy.Port, $"POST /websockify?token=x HTTP/1.1\r\n{host}Content-Length: 5\r\nConnection: close\r\n\r\nhello");
        var upgradeWithoutKey = await RawHttp.StatusLineAsync(proxy.Port, $"GET /websockify?token=x HTTP/1.1\r\n{host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        var garbage = await RawHttp.StatusLineAsync(proxy.Port, "\x16\x03\x01 this is not HTTP at all\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431", hugeHeader, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 431", manyHeaders, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 414", hugeLine, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 404", plainGet, StringComparison.Ordinal);
        Assert.Matches(@"^HTTP/1\.1 4\d\d", post);
        Assert.Matches(@"^HTTP/1\.1 4\d\d", upgradeWithoutKey);
        Assert.Matches(@"^(HTTP/1\.1 400 .*)?$", garbage);
        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        await proxy.CloseGoodSessionAsync();
    }

    [Theory]
    [InlineData("reserved bits set", new byte[] { 0xF2, 0x81, 0, 0, 0, 0, 1 })]
    [InlineData("unknown opcode", new byte[] { 0x83, 0x81, 0, 0, 0, 0, 1 })]
    [InlineData("control frame longer than 125 bytes", new byte[] { 0x89, 0xFE, 0x00, 0x80, 0, 0, 0, 0 })]
    [InlineData("fragmented control frame", new byte[] { 0x09, 0x80, 0, 0, 0, 0 })]
    [InlineData("continuation without a first frame", new byte[] { 0x80, 0x81, 0, 0, 0, 0, 1 })]
    [InlineData("text frame with invalid UTF-8", new byte[] { 0x81, 0x82, 0, 0, 0, 0, 0xC3, 0x28 })]
    public async Task A_malformed_frame_ends_only_its_own_session(string what, byte[] frame)
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server);
        var token = await proxy.Proxy.MintAsync(proxy.Target.Target);
        await using var attacker = await RawWebSocketClient.ConnectAsync(proxy.Port, $"/websockify?token={token}");
        await Poll.UntilAsync(() => proxy.Proxy.App.Sessions.Count == 2, "the attacker's session to start");

        await attacker.SendRawAsync(frame);
        var closed = await attacker.WaitForServerToCloseAsync(TimeSpan.FromSeconds(10));

        Assert.True(closed, $"the proxy kept a session open after a {what}");
        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        await proxy.CloseGoodSessionAsync();
    }

    [Fact]
    public async Task A_frame_announcing_exabytes_then_a_vanishing_client_and_a_large_real_frame_are_handled()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server);
        var token = await proxy.Proxy.MintAsync(proxy.Target.Target);
        await using (var attacker = await RawWebSocketClient.ConnectAsync(proxy.Port, $"/websockify?token={token}"))
        {
            await Poll.UntilAsync(() => proxy.Proxy.App.Sessions.Count == 2, "the attacker's session to start");
            byte[] header = [0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];
            await attacker.SendRawAsync(header);
            await attacker.SendRawAsync(new byte[100_000]);
            await proxy.AssertGoodSessionWorksAsync();
        }

        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();

        // A real 4 MiB message goes through whole, in pieces.
        using var big = await ProxyClient.ConnectAsync(proxy.Proxy.Url($"/websockify?token={token}"));
        var data = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(data);
        var receiving = ProxyClient.ReceiveExactlyAsync(big, data.Length);
        await ProxyClient.SendAsync(big, data);
        Assert.Equal(data, await receiving);
        await proxy.AssertGoodSessionWorksAsync();
    }

    [Fact]
    public async Task Truncated_handshakes_and_clients_that_vanish_mid_upgrade_leave_nothing_behind()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server);
        var token = await proxy.Proxy.MintAsync(proxy.Target.Target);
        var full = $"GET /websockify?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{proxy.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

        for (var i = 0; i < 100; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port));
            var cut = i % 2 == 0 ? Random.Shared.Next(1, full.Length - 1) : full.Length;
            await socket.SendAsync(Encoding.ASCII.GetBytes(full[..cut]), SocketFlags.None);
            if (i % 3 == 0)
            {
                // Reset instead of a polite FIN.
                socket.LingerState = new LingerOption(true, 0);
            }
        }

        await proxy.AssertGoodSessionWorksAsync();
        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        await proxy.CloseGoodSessionAsync();
    }

    [Fact]
    public async Task Slow_clients_that_trickle_their_headers_are_cut_off_by_the_headers_timeout()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server, options => options with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        var slow = new List<Socket>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                slow.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port));
            }

            var request = Encoding.ASCII.GetBytes("GET /websockify?token=slowloris HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            var cutOff = new bool[slow.Count];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(8);
            for (var b = 0; DateTime.UtcNow < deadline && cutOff.Any(cut => !cut); b++)
            {
                for (var i = 0; i < slow.Count; i++)
                {
                    if (!cutOff[i])
                    {
                        cutOff[i] = !await TrySendAsync(slow[i], request[Math.Min(b, request.Length - 1)]);
                    }
                }

                await proxy.AssertGoodSessionWorksAsync();
                await Task.Delay(200);
            }

            Assert.All(cutOff, Assert.True);
        }
        finally
        {
            slow.ForEach(socket => socket.Dispose());
        }

        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        await proxy.CloseGoodSessionAsync();
    }

    [Fact]
    public async Task Redis_going_away_and_coming_back_costs_new_sessions_a_503_meanwhile_and_the_live_session_nothing()
    {
        await using var ownRedis = await RedisServer.StartAsync();
        await using var proxy = await HardenedProxy.StartAsync(ownRedis);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        await ownRedis.StopAsync();
        var (status, _) = await ProxyClient.RefusalAsync(proxy.Proxy.Url("/websockify?token=whatever-while-down"));
        await proxy.AssertGoodSessionWorksAsync();
        await ownRedis.StartAgainAsync();
        var reconnectBy = DateTime.UtcNow + ProxyClient.Timeout;
        while (!await proxy.Proxy.App.Store.PingAsync(CancellationToken.None))
        {
            Assert.True(DateTime.UtcNow < reconnectBy, "the token store did not reconnect");
            await Task.Delay(100);
        }

        var token = await proxy.Proxy.MintAsync(proxy.Target.Target);
        using var fresh = await ProxyClient.ConnectAsync(proxy.Proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(fresh, [9]);
        var echoed = await ProxyClient.ReceiveExactlyAsync(fresh, 1);
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(503, status);
        Assert.Equal(new byte[] { 9 }, echoed);
        Assert.Equal(before["consoleproxy_authorization_failures_total{reason=\"store_unavailable\"}"] + 1, after["consoleproxy_authorization_failures_total{reason=\"store_unavailable\"}"]);
        await proxy.AssertGoodSessionWorksAsync();
        using (var timeout = new CancellationTokenSource(ProxyClient.Timeout))
        {
            await fresh.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
    }

    [Fact]
    public async Task A_target_that_refuses_or_resets_ends_only_that_session_with_a_reason()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server);
        using var resetter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        resetter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        resetter.Listen();
        var resetting = ResetAfterFirstByteAsync(resetter);
        var refusedToken = await proxy.Proxy.MintAsync(new ConsoleTarget("127.0.0.1", Network.ClosedPort()));
        var resetToken = await proxy.Proxy.MintAsync(new ConsoleTarget("127.0.0.1", ((IPEndPoint)resetter.LocalEndPoint!).Port));

        using var refusedClient = await ProxyClient.ConnectAsync(proxy.Proxy.Url($"/websockify?token={refusedToken}"));
        var (refusedCode, _) = await ProxyClient.ReceiveCloseAsync(refusedClient);
        using var resetClient = await ProxyClient.ConnectAsync(proxy.Proxy.Url($"/websockify?token={resetToken}"));
        await ProxyClient.ReceiveExactlyAsync(resetClient, 12);
        await ProxyClient.SendAsync(resetClient, [1]);
        var (resetCode, resetReason) = await ProxyClient.ReceiveCloseAsync(resetClient);

        Assert.Equal(4005, refusedCode);
        Assert.Equal(1000, resetCode);
        Assert.Equal("console closed", resetReason);
        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        resetter.Close();
        await resetting;
        await proxy.CloseGoodSessionAsync();
    }

    [Fact]
    public async Task A_target_that_never_answers_the_dial_costs_the_dial_timeout_and_a_4005()
    {
        await using var proxy = await HardenedProxy.StartAsync(redis.Server, options => options with { DialTimeout = TimeSpan.FromMilliseconds(700) });
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var fillers = new List<Socket>();
        try
        {
            // An accept queue that is full: the kernel drops further SYNs, like a firewalled host.
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(listener.LocalEndPoint!);
            }

            await Task.Delay(200);
            var token = await proxy.Proxy.MintAsync(new ConsoleTarget("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port));
            using var client = await ProxyClient.ConnectAsync(proxy.Proxy.Url($"/websockify?token={token}"));
            var (code, reason) = await ProxyClient.ReceiveCloseAsync(client);

            Assert.Equal(4005, code);
            Assert.Contains("no answer", reason, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }

        await proxy.AssertOnlyTheGoodSessionIsLeftAsync();
        await proxy.CloseGoodSessionAsync();
    }

    [Fact]
    public async Task A_target_that_stalls_mid_session_does_not_hold_the_session_past_the_idle_timeout()
    {
        // The real clock: the close handshake and its timeouts must play out as in production.
        await using var proxy = await HardenedProxy.StartAsync(redis.Server, options => options with { IdleTimeout = TimeSpan.FromSeconds(3) });
        using var staller = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        staller.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        staller.Listen();
        var accepting = staller.AcceptAsync();
        var token = await proxy.Proxy.MintAsync(new ConsoleTarget("127.0.0.1", ((IPEndPoint)staller.LocalEndPoint!).Port), ttl: TimeSpan.FromHours(1));
        using var client = await ProxyClient.ConnectAsync(proxy.Proxy.Url($"/websockify?token={token}"));
        using var stalled = await accepting;

        // Fill every buffer on the way until the proxy's write to the VNC server blocks.
        var chunk = new byte[256 * 1024];
        using var sending = new CancellationTokenSource();
        var flooding = Task.Run(async () =>
        {
            try
            {
                while (!sending.IsCancellationRequested)
                {
                    await client.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: true, sending.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // Blocked sends end when the session closes.
            }
        });
        await Task.Delay(1000);
        await proxy.AssertGoodSessionWorksAsync();
        var (code, _) = await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(15));
        await sending.CancelAsync();
        await flooding;

        Assert.Equal(4003, code);

        // The good session had no traffic for three seconds either.
        Assert.Equal(4003, await proxy.ReceiveGoodSessionCloseAsync());
        await Poll.UntilAsync(() => proxy.Proxy.App.Sessions.Count == 0, "both sessions to be gone");
        await Poll.UntilAsync(() => proxy.Proxy.App.Sessions.Reserved == 0, "both slots to be released");
        Assert.Equal(0, (await MetricsScrape.TakeAsync(proxy.Port))["consoleproxy_sessions_active"]);
    }

    private static string GarbageToken(int i) => (i % 6) switch
    {
        0 => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "AAAAAAAAAAAAAAAAAAAA",
        1 => new string('x', 600 + i),
        2 => $"'; DROP TABLE tokens; -- {i}",
        3 => $"\u00e9\u4e2d\u0000\u0001-{i}-{Guid.NewGuid():N}",
        4 => $"../../etc/passwd?{i}&token=again",
        _ => $"{i}{Guid.NewGuid():N}{Guid.NewGuid():N}",
    };

    private static async Task<bool> TrySendAsync(Socket socket, byte value)
    {
        try
        {
            await socket.SendAsync(new[] { value }, SocketFlags.None);
            return !(socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A VNC server that greets, waits for the client's first byte, then resets the connection.</summary>
    private static async Task ResetAfterFirstByteAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                using var accepted = await listener.AcceptAsync();
                await accepted.SendAsync("RFB 003.008\n"u8.ToArray(), SocketFlags.None);
                await accepted.ReceiveAsync(new byte[1], SocketFlags.None);
                accepted.LingerState = new LingerOption(true, 0);
                accepted.Close();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Listener closed at the end of the test.
        }
    }
}
